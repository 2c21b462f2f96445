"""Routes of the scope pages (scope changes, commitments), under /pocs/<id>/."""

from django.urls import path

from .views import scope

urlpatterns: list = [
    path("pocs/<int:poc_id>/scope/", scope.poc_scope, name="poc_scope"),
    path("pocs/<int:poc_id>/scope/changes/", scope.scope_change_create_page,
         name="poc_scope_change_create"),
    path("pocs/<int:poc_id>/scope/changes/<int:change_id>/decide/",
         scope.scope_change_decide_page, name="poc_scope_change_decide"),
    path("pocs/<int:poc_id>/scope/changes/<int:change_id>/edit/",
         scope.scope_change_edit_page, name="poc_scope_change_edit"),
    path("pocs/<int:poc_id>/scope/commitments/", scope.commitment_create_page,
         name="poc_scope_commitment_create"),
    path("pocs/<int:poc_id>/scope/commitments/<int:commitment_id>/resolve/",
         scope.commitment_resolve_page, name="poc_scope_commitment_resolve"),
    path("pocs/<int:poc_id>/scope/commitments/<int:commitment_id>/edit/",
         scope.commitment_edit_page, name="poc_scope_commitment_edit"),
]
