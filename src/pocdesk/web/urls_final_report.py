"""Routes of the final report page (/pocs/<id>/final-report/)."""

from django.urls import path

from .views import final_report

urlpatterns = [
    path("pocs/<int:poc_id>/final-report/", final_report.poc_final_report,
         name="poc_final_report"),
    path("pocs/<int:poc_id>/final-report/download/", final_report.poc_final_report_download,
         name="poc_final_report_download"),
]
