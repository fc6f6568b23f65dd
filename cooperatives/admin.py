"""Admin: reference data is editable here; the registry itself is read-only, because
every change to a cooperative must go through its service and the audit trail."""

from django.contrib import admin

from lib.admin import ReadOnlyAdmin

from .models import (
    Cooperative,
    CooperativeFigures,
    KabupatenKota,
    Kecamatan,
    Kelompok,
    Kelurahan,
    Officer,
    OfficerInvitation,
    StatusChange,
    StatusLetter,
)


@admin.register(Kelompok)
class KelompokAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "default_jenis")
    search_fields = ("code", "name")


@admin.register(KabupatenKota)
class KabupatenKotaAdmin(ReadOnlyAdmin):
    list_display = ("name", "province", "kemendagri_code", "bps_code")


@admin.register(Kecamatan)
class KecamatanAdmin(ReadOnlyAdmin):
    list_display = ("name", "kabkota", "kemendagri_code", "bps_code")
    list_filter = ("kabkota",)


@admin.register(Kelurahan)
class KelurahanAdmin(ReadOnlyAdmin):
    list_display = ("name", "kecamatan", "kemendagri_code", "bps_code")
    list_filter = ("kecamatan",)
    list_select_related = ("kecamatan",)
    search_fields = ("name",)


@admin.register(Cooperative)
class CooperativeAdmin(ReadOnlyAdmin):
    list_display = ("name", "nik", "jenis", "pola", "status", "kelurahan")
    list_filter = ("status", "jenis", "pola", "kelurahan__kecamatan")
    list_select_related = ("kelurahan",)
    search_fields = ("name", "nik", "nomor_badan_hukum")


@admin.register(CooperativeFigures)
class CooperativeFiguresAdmin(ReadOnlyAdmin):
    list_display = ("cooperative", "tahun_buku", "aset", "shu", "source")
    list_filter = ("tahun_buku", "source")
    list_select_related = ("cooperative",)


@admin.register(Officer)
class OfficerAdmin(ReadOnlyAdmin):
    list_display = ("name", "position", "cooperative", "user", "is_active")
    list_filter = ("position", "is_active")
    list_select_related = ("cooperative", "user")


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = (
        "cooperative",
        "from_status",
        "to_status",
        "effective_date",
        "changed_by",
    )
    list_select_related = ("cooperative", "changed_by")


@admin.register(OfficerInvitation)
class OfficerInvitationAdmin(ReadOnlyAdmin):
    """Who was invited, when, and whether the link was used; never the token."""

    list_display = ("officer", "email", "created_at", "expires_at", "accepted_at")
    list_select_related = ("officer__cooperative",)
    exclude = ("token_hash",)


@admin.register(StatusLetter)
class StatusLetterAdmin(ReadOnlyAdmin):
    list_display = (
        "number",
        "name",
        "status",
        "issued_at",
        "valid_until",
        "revoked_at",
    )
    list_select_related = ("cooperative",)
    search_fields = ("number", "name", "nik")
