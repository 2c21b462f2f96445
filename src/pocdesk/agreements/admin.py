from django.contrib import admin

from .models import Agreement, AgreementTemplate, CostLine, CustomerResource


class ResourceInline(admin.TabularInline):
    model = CustomerResource
    extra = 0
    exclude = ("key",)


class CostLineInline(admin.TabularInline):
    model = CostLine
    extra = 0
    exclude = ("key",)


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("poc", "start_date", "end_date", "exit_slip_days", "follow_on_kind")
    list_select_related = ("poc",)
    inlines = [ResourceInline, CostLineInline]


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(admin.ModelAdmin):
    """Team administrators edit their default clause texts, one template per language."""

    list_display = ("team", "language", "updated_at")
    list_filter = ("team", "language")
