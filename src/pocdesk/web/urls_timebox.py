"""Routes of the timebox pages (milestones, extensions, exit decision), under /pocs/<id>/."""

from django.urls import path

from .views import timebox

urlpatterns: list = [
    path("pocs/<int:poc_id>/timebox/", timebox.poc_timebox, name="poc_timebox"),
    path("pocs/<int:poc_id>/timebox/milestones/", timebox.milestone_plan_page,
         name="milestone_plan"),
    path("pocs/<int:poc_id>/timebox/milestones/propose/", timebox.milestone_plan_propose_page,
         name="milestone_plan_propose"),
    path("pocs/<int:poc_id>/timebox/milestones/<str:key>/done/", timebox.milestone_done_page,
         name="milestone_done"),
    path("pocs/<int:poc_id>/timebox/milestones/<str:key>/status/",
         timebox.milestone_status_page, name="milestone_status"),
    path("pocs/<int:poc_id>/timebox/extensions/", timebox.extension_request_page,
         name="extension_request"),
    path("pocs/<int:poc_id>/timebox/extensions/<int:extension_id>/decide/",
         timebox.extension_decide_page, name="extension_decide"),
    path("pocs/<int:poc_id>/timebox/exit/", timebox.exit_decision_page, name="exit_decision"),
]
