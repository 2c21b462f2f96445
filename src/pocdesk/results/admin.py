from django.contrib import admin

from .models import (
    CostEntry,
    Lesson,
    LossReason,
    PocResult,
    ResultsPolicy,
    Retrospective,
    RiskCost,
    RoleRate,
)


@admin.register(ResultsPolicy)
class ResultsPolicyAdmin(admin.ModelAdmin):
    list_display = ("team", "success_threshold", "cost_ratio_threshold")
    list_select_related = ("team",)


@admin.register(LossReason)
class LossReasonAdmin(admin.ModelAdmin):
    list_display = ("code", "label_en", "label_zh_hans", "label_fr", "active", "position")
    list_editable = ("active", "position")
    list_filter = ("active",)


@admin.register(PocResult)
class PocResultAdmin(admin.ModelAdmin):
    list_display = ("poc", "technical_result", "commercial_result", "reason", "order_value",
                    "order_currency")
    list_filter = ("technical_result", "commercial_result", "reason")
    list_select_related = ("poc", "reason")
    raw_id_fields = ("poc", "customer_confirmed_by", "updated_by")


class LessonInline(admin.TabularInline):
    model = Lesson
    extra = 0
    raw_id_fields = ("log_entry",)


@admin.register(Retrospective)
class RetrospectiveAdmin(admin.ModelAdmin):
    list_display = ("poc", "submitted_at", "submitted_by")
    list_select_related = ("poc", "submitted_by")
    raw_id_fields = ("poc", "submitted_by")
    inlines = [LessonInline]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "industry", "product", "criterion_type")
    list_filter = ("kind",)
    search_fields = ("text", "industry", "product", "criterion_type")
    raw_id_fields = ("retrospective", "log_entry")


@admin.register(RoleRate)
class RoleRateAdmin(admin.ModelAdmin):
    list_display = ("team", "role", "hourly_rate", "currency")
    list_select_related = ("team",)


@admin.register(CostEntry)
class CostEntryAdmin(admin.ModelAdmin):
    list_display = ("poc", "description", "kind", "category", "amount", "currency", "paid_by")
    list_filter = ("kind", "category", "paid_by")
    list_select_related = ("poc",)
    raw_id_fields = ("poc", "recorded_by")


@admin.register(RiskCost)
class RiskCostAdmin(admin.ModelAdmin):
    list_display = ("poc", "description", "probability", "impact", "currency")
    list_select_related = ("poc",)
    raw_id_fields = ("poc",)
