"""Routes of the weekly status report, under /pocs/<id>/weekly/."""

from django.urls import path

from .views import weekly

urlpatterns: list = [
    path("pocs/<int:poc_id>/weekly/", weekly.poc_weekly, name="poc_weekly"),
    path("pocs/<int:poc_id>/weekly/pdf/", weekly.poc_weekly_pdf, name="poc_weekly_pdf"),
    path("pocs/<int:poc_id>/weekly/send/", weekly.poc_weekly_send, name="poc_weekly_send"),
]
