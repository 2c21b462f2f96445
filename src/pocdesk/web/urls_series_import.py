"""Routes of the series import pages (an instrument export read as readings), under
/pocs/<id>/execution/import/."""

from django.urls import path

from .views import series_import

urlpatterns: list = [
    path("pocs/<int:poc_id>/execution/import/", series_import.series_import_start_page,
         name="poc_series_import_start"),
    path("pocs/<int:poc_id>/execution/import/<int:import_id>/",
         series_import.series_import_page, name="poc_series_import"),
    path("pocs/<int:poc_id>/execution/import/<int:import_id>/progress/",
         series_import.series_import_progress, name="poc_series_import_progress"),
]
