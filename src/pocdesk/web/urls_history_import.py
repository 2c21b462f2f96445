"""Routes of the CRM history import pages (sources, the mapping step, imports), under
/insights/history/."""

from django.urls import path

from .views import history_import

urlpatterns: list = [
    path("insights/history/", history_import.history_sources_page, name="history_sources"),
    path("insights/history/sources/<int:source_id>/", history_import.history_source_page,
         name="history_source"),
    path("insights/history/sources/<int:source_id>/mapping.toml",
         history_import.history_source_mapping, name="history_source_mapping"),
    path("insights/history/uploads/<str:token>/", history_import.history_map_page,
         name="history_map"),
    path("insights/history/imports/<int:import_id>/", history_import.history_import_page,
         name="history_import"),
    path("insights/history/imports/<int:import_id>/progress/",
         history_import.history_import_progress, name="history_import_progress"),
]
