from django.contrib import admin

from .models import Event, StoredFile


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "verb", "target_label", "actor", "team", "poc")
    list_filter = ("verb", "team")
    search_fields = ("target_label", "verb")
    list_select_related = ("actor", "team", "poc")
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    list_display = ("original_name", "content_type", "size", "team", "uploaded_by", "uploaded_at")
    list_select_related = ("team", "uploaded_by")
    readonly_fields = ("storage_key", "sha256", "size", "content_type")
