from django.contrib import admin

from .models import PlanVersion, Signature


class SignatureInline(admin.TabularInline):
    model = Signature
    extra = 0
    can_delete = False
    fields = ("side", "method", "signer_name", "signer_title", "signed_at", "content_hash")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    """Read-only: versions and signatures change only through the signing service."""

    list_display = ("poc", "kind", "number", "status", "submitted_at", "signed_at")
    list_filter = ("kind", "status")
    list_select_related = ("poc",)
    inlines = [SignatureInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
