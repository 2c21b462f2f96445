"""The run's records in the admin, to look at: readings, evidence and the log are written
through the application, where their rules and events live."""

from django.contrib import admin

from .models import Evidence, LogEntry, Measurement, SeriesImport


class ReadOnlyAdmin(admin.ModelAdmin):
    """View only; a superuser may still delete a record created by mistake."""

    show_full_result_count = False  # a criterion may have a million readings

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyAdmin):
    list_display = ("poc", "criterion", "measured_at", "value", "passed", "series",
                    "recorded_by")
    list_filter = ("passed",)
    list_select_related = ("poc", "criterion", "series__file", "recorded_by")
    raw_id_fields = ("poc", "criterion", "series", "recorded_by", "evidence")
    date_hierarchy = "measured_at"


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("poc", "__str__", "criterion", "taken_at", "uploaded_by", "created_at")
    list_select_related = ("poc", "file", "criterion", "uploaded_by")
    raw_id_fields = ("poc", "file", "criterion", "uploaded_by")
    search_fields = ("caption", "file__original_name")


@admin.register(SeriesImport)
class SeriesImportAdmin(ReadOnlyAdmin):
    list_display = ("poc", "__str__", "criterion", "status", "rows_imported", "error_count",
                    "created_by", "created_at", "finished_at")
    list_filter = ("status",)
    list_select_related = ("poc", "file", "criterion", "created_by")
    raw_id_fields = ("poc", "criterion", "file", "created_by")


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin):
    list_display = ("poc", "title", "kind", "key_event", "severity", "status", "occurred_at",
                    "witnessed_by")
    list_filter = ("kind", "severity", "status", "key_event")
    list_select_related = ("poc", "witnessed_by")
    raw_id_fields = ("poc", "milestone", "witnessed_by", "recorded_by", "evidence")
    search_fields = ("title", "body")
