from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CloseDatePush, Competitor, ExchangeRate, Opportunity


class CompetitorInline(admin.TabularInline):
    model = Competitor
    extra = 0


class CloseDatePushInline(admin.TabularInline):
    model = CloseDatePush
    extra = 0
    readonly_fields = ("from_date", "to_date", "reason", "pushed_by", "pushed_at")
    can_delete = False


@admin.register(Opportunity)
class OpportunityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "account", "team", "amount", "currency", "stage", "expected_close_date",
                    "owner")
    list_filter = ("team", "stage", "source")
    search_fields = ("name", "account__name")
    list_select_related = ("account", "team", "owner")
    inlines = [CompetitorInline, CloseDatePushInline]
    autocomplete_fields = ["account"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ("currency", "reporting_currency", "rate", "valid_from")
    list_filter = ("reporting_currency",)


@admin.register(CloseDatePush)
class CloseDatePushAdmin(admin.ModelAdmin):
    list_display = ("opportunity", "from_date", "to_date", "pushed_by", "pushed_at")
    list_select_related = ("opportunity", "pushed_by")
