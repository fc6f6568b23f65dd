from django.contrib import admin
from django.http import HttpRequest

from lib.admin import ReadOnlyAdmin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """What was sent to whom, as it was sent; written by the notification service."""

    list_display = ("created_at", "channel", "recipient", "subject", "status")
    list_filter = ("status", "channel", "template")
    search_fields = ("recipient", "subject")
    date_hierarchy = "created_at"

    def get_readonly_fields(
        self, request: HttpRequest, obj: object = None
    ) -> list[str]:
        return [field.name for field in self.model._meta.fields]
