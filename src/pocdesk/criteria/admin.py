from django.contrib import admin

from .models import Criterion, CriterionTemplate


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ("title", "poc", "comparator", "aggregation", "must_have", "importance")
    list_filter = ("comparator", "must_have")
    list_select_related = ("poc",)
    search_fields = ("title", "metric")


@admin.register(CriterionTemplate)
class CriterionTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "team", "industry", "comparator", "must_have")
    list_filter = ("team",)
    search_fields = ("title", "metric", "industry")
