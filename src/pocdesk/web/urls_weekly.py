"""Routes of the weekly pages, under /pocs/<id>/."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
