"""Routes of the execution pages, under /pocs/<id>/."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
