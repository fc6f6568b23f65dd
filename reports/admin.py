from django.contrib import admin

from lib.admin import ReadOnlyAdmin

from .models import (
    RatPeriod,
    RatReminder,
    RatReport,
    RekapFreezeJob,
    RekapSnapshot,
    ReportRun,
)


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


@admin.register(RatPeriod)
class RatPeriodAdmin(admin.ModelAdmin):
    """Deadlines of a tahun buku that differ from the defaults in settings (for
    example 3 months for primer cooperatives)."""

    list_display = ("tahun_buku", "meeting_deadline", "report_days")


@admin.register(RatReport)
class RatReportAdmin(ReadOnlyAdmin):
    list_display = (
        "cooperative",
        "tahun_buku",
        "status",
        "receipt_number",
        "submitted_at",
        "entered_by_staff",
    )
    list_filter = ("tahun_buku", "status", "entered_by_staff")
    list_select_related = ("cooperative",)
    search_fields = ("cooperative__name", "receipt_number")


@admin.register(RatReminder)
class RatReminderAdmin(ReadOnlyAdmin):
    list_display = ("cooperative", "tahun_buku", "offset_days", "due_date", "sent_at")
    list_filter = ("tahun_buku", "offset_days")
    list_select_related = ("cooperative",)


@admin.register(RekapSnapshot)
class RekapSnapshotAdmin(ReadOnlyAdmin):
    """Frozen: changed only by the rekap's services (approve, record as sent)."""

    list_display = (
        "code",
        "tahun_buku",
        "scope_name",
        "version",
        "status",
        "frozen_at",
        "made_by",
    )
    list_filter = ("code", "tahun_buku", "status")
    list_select_related = ("made_by",)
    exclude = ("tables",)


@admin.register(RekapFreezeJob)
class RekapFreezeJobAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "tahun_buku",
        "scope_code",
        "status",
        "progress",
        "created_at",
    )
    list_filter = ("code", "status")
