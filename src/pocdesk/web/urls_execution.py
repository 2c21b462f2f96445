"""Routes of the execution pages (readings, log, evidence), under /pocs/<id>/, and the
permission-checked addresses of evidence files."""

from django.urls import path

from .views import execution

urlpatterns: list = [
    path("pocs/<int:poc_id>/execution/", execution.poc_execution, name="poc_execution"),
    path("pocs/<int:poc_id>/execution/measurements/", execution.measurement_create_page,
         name="poc_measurement_create"),
    path("pocs/<int:poc_id>/execution/evidence/", execution.evidence_upload_page,
         name="poc_evidence_upload"),
    path("pocs/<int:poc_id>/execution/evidence/<int:evidence_id>/delete/",
         execution.evidence_delete_page, name="poc_evidence_delete"),
    path("pocs/<int:poc_id>/execution/log/", execution.log_create_page, name="poc_log_create"),
    path("pocs/<int:poc_id>/execution/log/<int:entry_id>/witness/", execution.log_witness_page,
         name="poc_log_witness"),
    path("pocs/<int:poc_id>/criteria/<int:criterion_id>/chart/",
         execution.criterion_chart_data, name="poc_criterion_chart"),
    path("evidence/<int:evidence_id>/file/", execution.evidence_file, name="evidence_file"),
    path("evidence/<int:evidence_id>/thumbnail/", execution.evidence_thumbnail,
         name="evidence_thumbnail"),
]
