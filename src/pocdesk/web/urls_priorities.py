"""Route of the priorities page (/priorities/)."""

from django.urls import path

from .views import priorities

urlpatterns: list = [
    path("priorities/", priorities.priorities_page, name="priorities"),
]
