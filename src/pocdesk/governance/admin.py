from django.contrib import admin

from .models import ActionItem, Attendance, Cadence, Meeting


@admin.register(Cadence)
class CadenceAdmin(admin.ModelAdmin):
    list_display = ("poc", "weekly_sync_days", "steering_days", "grace_days", "updated_at")
    list_select_related = ("poc",)
    raw_id_fields = ("poc", "updated_by")


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ("stakeholder",)


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("poc", "__str__", "meeting_type", "status", "date")
    list_filter = ("meeting_type", "status")
    list_select_related = ("poc",)
    date_hierarchy = "date"
    raw_id_fields = ("poc", "recorded_by", "vendor_attendees")
    inlines = [AttendanceInline]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ("poc", "__str__", "owner", "customer_owner", "due_on", "status")
    list_filter = ("status",)
    list_select_related = ("poc", "owner", "customer_owner")
    raw_id_fields = ("poc", "meeting", "owner", "customer_owner", "created_by")
