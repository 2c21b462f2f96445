from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Account


@admin.register(Account)
class AccountAdmin(SimpleHistoryAdmin):
    list_display = ("name", "team", "country", "industry", "size", "currency")
    list_filter = ("team", "size", "country")
    search_fields = ("name", "industry")
    list_select_related = ("team",)
