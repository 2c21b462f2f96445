"""Routes of a POC's results: closing, retrospective, cost and ROI (/pocs/<id>/results/)."""

from django.urls import path

from .views import results

urlpatterns = [
    path("pocs/<int:poc_id>/results/", results.poc_results, name="poc_results"),
    path("pocs/<int:poc_id>/results/close/", results.poc_close_page, name="poc_close"),
    path("pocs/<int:poc_id>/results/save/", results.result_save_page, name="poc_result_save"),
    path("pocs/<int:poc_id>/results/costs/", results.cost_create_page, name="poc_cost_create"),
    path("pocs/<int:poc_id>/results/costs/<int:cost_id>/edit/", results.cost_edit_page,
         name="poc_cost_edit"),
    path("pocs/<int:poc_id>/results/costs/<int:cost_id>/delete/", results.cost_delete_page,
         name="poc_cost_delete"),
    path("pocs/<int:poc_id>/results/risks/", results.risk_costs_page, name="poc_risk_costs"),
    path("pocs/<int:poc_id>/results/retrospective/", results.retrospective_page,
         name="poc_retrospective"),
    path("pocs/<int:poc_id>/results/retrospective/carry-risks/", results.carry_risks_page,
         name="poc_retrospective_carry"),
]
