from django.contrib import admin
from django.http import HttpRequest

from lib.admin import ReadOnlyAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail is written by services, never edited by hand."""

    list_display = ("created_at", "actor", "action", "object_repr", "cooperative")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "message", "actor__username")
    list_select_related = ("actor", "cooperative")
    date_hierarchy = "created_at"

    def get_readonly_fields(
        self, request: HttpRequest, obj: object = None
    ) -> list[str]:
        return [field.name for field in self.model._meta.fields]
