from django.contrib import admin

from .models import Commitment, ScopeChange


@admin.register(ScopeChange)
class ScopeChangeAdmin(admin.ModelAdmin):
    list_display = ("poc", "__str__", "change_class", "effort_hours", "decision", "override",
                    "decided_by")
    list_filter = ("change_class", "decision", "override")
    list_select_related = ("poc", "decided_by")
    raw_id_fields = ("poc", "requested_by", "decided_by", "recorded_by")


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ("poc", "__str__", "category", "due_at", "status")
    list_filter = ("category", "status")
    list_select_related = ("poc",)
    raw_id_fields = ("poc", "made_by", "made_to", "scope_change", "recorded_by")
