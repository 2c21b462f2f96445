from django.contrib import admin

from .models import QualificationOverride, QualificationPolicy


@admin.register(QualificationPolicy)
class QualificationPolicyAdmin(admin.ModelAdmin):
    list_display = ("team", "max_open_days", "earlier_failed_pocs_limit", "walk_away_below",
                    "walk_away_red_flags")


@admin.register(QualificationOverride)
class QualificationOverrideAdmin(admin.ModelAdmin):
    list_display = ("poc", "overridden_by", "created_at")
    list_select_related = ("poc", "overridden_by")
    readonly_fields = ("poc", "overridden_by", "justification", "unmet", "created_at")
