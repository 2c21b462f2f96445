from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import POC


@admin.register(POC)
class POCAdmin(SimpleHistoryAdmin):
    list_display = ("title", "opportunity", "team", "status", "owner", "start_date", "end_date")
    list_filter = ("team", "status", "poc_type")
    search_fields = ("title", "opportunity__name", "opportunity__account__name")
    list_select_related = ("opportunity", "team", "owner")
    readonly_fields = ("status", "status_changed_at")
    autocomplete_fields = ["opportunity"]
