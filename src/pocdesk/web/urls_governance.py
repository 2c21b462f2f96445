"""Routes of the governance pages (meetings, action items, cadence), under /pocs/<id>/."""

from django.urls import path

from .views import governance

urlpatterns: list = [
    path("pocs/<int:poc_id>/governance/", governance.poc_governance, name="poc_governance"),
    path("pocs/<int:poc_id>/governance/cadence/", governance.cadence_update_page,
         name="poc_governance_cadence"),
    path("pocs/<int:poc_id>/governance/meetings/", governance.meeting_create_page,
         name="poc_governance_meeting_create"),
    path("pocs/<int:poc_id>/governance/meetings/<int:meeting_id>/edit/",
         governance.meeting_edit_page, name="poc_governance_meeting_edit"),
    path("pocs/<int:poc_id>/governance/meetings/<int:meeting_id>/delete/",
         governance.meeting_delete_page, name="poc_governance_meeting_delete"),
    path("pocs/<int:poc_id>/governance/action-items/", governance.action_item_create_page,
         name="poc_governance_action_item_create"),
    path("pocs/<int:poc_id>/governance/action-items/<int:action_item_id>/status/",
         governance.action_item_status_page, name="poc_governance_action_item_status"),
]
