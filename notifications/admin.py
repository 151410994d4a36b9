from django.contrib import admin, messages

from .models import Notification
from .services import notification_resend


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, read-only: what was emailed to whom, and whether it went."""

    list_display = ["to_email", "subject", "status", "created_at", "sent_at", "attempts"]
    list_filter = ["status", "template"]
    search_fields = ["to_email", "subject", "key"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    actions = ["send_again"]
    fields = [
        "key",
        "to_email",
        "reply_to",
        "template",
        "subject",
        "body_text",
        "body_html",
        "status",
        "attempts",
        "created_at",
        "last_attempt_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_resend_permission(self, request):
        return request.user.is_superuser

    @admin.action(description="Send the selected failed emails again", permissions=["resend"])
    def send_again(self, request, queryset):
        failed = list(queryset.filter(status=Notification.Status.FAILED))
        for notification in failed:
            notification_resend(notification=notification)
        self.message_user(request, f"{len(failed)} failed email(s) queued to send again.", messages.SUCCESS)
