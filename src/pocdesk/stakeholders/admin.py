from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Engagement, Stakeholder


class EngagementInline(admin.TabularInline):
    model = Engagement
    extra = 0
    autocomplete_fields = ["poc"]


@admin.register(Stakeholder)
class StakeholderAdmin(SimpleHistoryAdmin):
    list_display = ("name", "title", "account", "opportunity", "side", "role", "influence",
                    "attitude")
    list_filter = ("team", "side", "role", "attitude")
    search_fields = ("name", "title", "account__name")
    list_select_related = ("account", "opportunity")
    autocomplete_fields = ["account", "opportunity", "reports_to"]
    inlines = [EngagementInline]


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ("stakeholder", "poc", "date", "kind", "recorded_by")
    list_select_related = ("stakeholder", "poc", "recorded_by")
