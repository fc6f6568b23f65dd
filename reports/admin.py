from django.contrib import admin

from lib.admin import ReadOnlyAdmin

from .models import ReportRun


@admin.register(ReportRun)
class ReportRunAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "kind",
        "file_format",
        "status",
        "row_count",
        "created_by",
        "created_at",
    )
    list_filter = ("kind", "status")
    list_select_related = ("created_by",)
