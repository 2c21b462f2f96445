from django.contrib import admin

from .models import ExitDecision, Extension, Milestone, TimeboxPolicy


@admin.register(TimeboxPolicy)
class TimeboxPolicyAdmin(admin.ModelAdmin):
    """Team administrators edit their timebox rules here."""

    list_display = ("team", "max_duration_days", "checkpoint_cadence_days", "max_extensions",
                    "exit_grace_days", "scope_creep_threshold")


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ("poc", "kind", "title", "due_date", "planned_date", "status",
                    "customer_witness", "completed_on")
    list_filter = ("status", "kind", "customer_witness")
    list_select_related = ("poc",)
    raw_id_fields = ("poc", "owner", "customer_owner", "witnessed_by", "evidence_file")


@admin.register(Extension)
class ExtensionAdmin(admin.ModelAdmin):
    list_display = ("poc", "previous_end", "requested_end", "days", "status", "beyond_policy",
                    "decided_by")
    list_filter = ("status", "beyond_policy")
    list_select_related = ("poc", "decided_by")
    raw_id_fields = ("poc", "requested_by", "decided_by")


@admin.register(ExitDecision)
class ExitDecisionAdmin(admin.ModelAdmin):
    list_display = ("poc", "deadline", "decision", "decided_by", "decided_at")
    list_select_related = ("poc", "decided_by")
    raw_id_fields = ("poc", "extension", "decided_by")
