"""The public fields of a cooperative, defined once.

Every public page, export and API response takes its values from ``public_values``
and nothing else, so that what the public sees is exactly this list: the fields
always public, plus those the Dinas names in ``PUBLIC_EXTRA_FIELDS``. A public
template never reads the model directly.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import TextChoices
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Cooperative, CooperativeStatus, Jenis, Pola
from health_assessment.models import Predikat


@dataclass(frozen=True)
class PublicField:
    name: str  # the key in JSON and the CSV header
    label: Any  # shown on the page (lazy translation)
    openapi: dict[str, Any]  # its type in the OpenAPI schema
    value: Callable[[Cooperative], Any]

    @property
    def value_format(self) -> str:
        """How its values are written, for the open-data page, from its schema:
        a reuser needs to know a date's form and what an empty cell means."""
        kind = self.openapi.get("type")
        if self.openapi.get("format") == "date":
            shown = _("tanggal TTTT-BB-HH (2024-05-01)")
        elif kind == "integer":
            shown = _("bilangan bulat, tanpa pemisah ribuan")
        elif kind == "boolean":
            shown = _("CSV: ya/tidak; JSON: true/false")
        else:
            shown = _("teks")
        if self.openapi.get("nullable"):
            return str(_("%(format)s; kosong bila tidak diketahui")) % {"format": shown}
        return str(shown)


def _text(description: str) -> dict[str, Any]:
    return {"type": "string", "description": description}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def annotated(cooperative: Cooperative, name: str) -> Any:
    """A value ``public_cooperatives()`` annotated onto the row."""
    return getattr(cooperative, name)


_LABELS: dict[tuple[str | None, type[TextChoices]], dict[str, str]] = {}


def choice_label(choices: type[TextChoices], value: str | None) -> str | None:
    """The label of a choice in the current language, from a table made once per
    language: ``get_FOO_display`` translates every label of the field on each call,
    which was a third of a search page's time."""
    key = (get_language(), choices)
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {code: str(label) for code, label in choices.choices}
    return labels.get(value, value) if value else None


def _amount(value: Decimal | None) -> int | None:
    return None if value is None else int(value)


ALWAYS: tuple[PublicField, ...] = (
    PublicField("id", _("Nomor di registri"), {"type": "integer"}, lambda c: c.pk),
    PublicField(
        "nik", _("NIK"), _nullable(_text("Nomor Induk Koperasi")), lambda c: c.nik
    ),
    PublicField("nama", _("Nama koperasi"), _text("Nama"), lambda c: c.name),
    PublicField(
        "nomor_badan_hukum",
        _("Nomor badan hukum"),
        _text("Nomor badan hukum"),
        lambda c: c.nomor_badan_hukum,
    ),
    PublicField(
        "tanggal_badan_hukum",
        _("Tanggal badan hukum"),
        _nullable({"type": "string", "format": "date"}),
        lambda c: _date(c.tanggal_badan_hukum),
    ),
    PublicField(
        "jenis",
        _("Jenis"),
        _text("Jenis koperasi"),
        lambda c: choice_label(Jenis, c.jenis),
    ),
    PublicField(
        "pola",
        _("Pola"),
        _text("Konvensional atau syariah"),
        lambda c: choice_label(Pola, c.pola),
    ),
    PublicField(
        "kecamatan",
        _("Kecamatan"),
        _text("Kecamatan"),
        lambda c: c.kelurahan.kecamatan.name,
    ),
    PublicField(
        "kelurahan", _("Kelurahan"), _text("Kelurahan"), lambda c: c.kelurahan.name
    ),
    PublicField(
        "status",
        _("Status"),
        _text("Aktif, Tidak Aktif, Dalam Proses Pembubaran atau Dibubarkan"),
        lambda c: choice_label(CooperativeStatus, c.status),
    ),
    PublicField(
        "aktif",
        _("Aktif"),
        {"type": "boolean"},
        lambda c: c.status == CooperativeStatus.AKTIF,
    ),
    PublicField(
        "rat_terakhir",
        _("RAT terakhir"),
        _nullable({"type": "string", "format": "date"}),
        lambda c: _date(c.last_rat_date_shown),
    ),
    PublicField(
        "rat_terakhir_tahun_buku",
        _("Tahun buku RAT terakhir"),
        _nullable({"type": "integer"}),
        lambda c: c.last_rat_tahun_buku,
    ),
    PublicField(
        "kesehatan",
        _("Kesehatan terakhir"),
        _nullable(_text("Predikat penilaian kesehatan terakhir yang berlaku")),
        lambda c: choice_label(Predikat, annotated(c, "health_predikat")),
    ),
    PublicField(
        "kesehatan_tahun_buku",
        _("Tahun buku penilaian"),
        _nullable({"type": "integer"}),
        lambda c: annotated(c, "health_year"),
    ),
)

# Published only when named in PUBLIC_EXTRA_FIELDS.
OPTIONAL: tuple[PublicField, ...] = (
    PublicField("alamat", _("Alamat"), _text("Alamat"), lambda c: c.address),
    PublicField("telepon", _("Telepon"), _text("Telepon koperasi"), lambda c: c.phone),
    PublicField("email", _("E-mail"), _text("E-mail koperasi"), lambda c: c.email),
    PublicField(
        "sektor_usaha",
        _("Sektor usaha"),
        _text("Sektor usaha"),
        lambda c: c.sektor_usaha,
    ),
    PublicField(
        "anggota",
        _("Jumlah anggota"),
        _nullable({"type": "integer"}),
        lambda c: annotated(c, "public_members"),
    ),
    PublicField(
        "aset",
        _("Aset (Rupiah)"),
        _nullable({"type": "integer"}),
        lambda c: _amount(annotated(c, "public_aset")),
    ),
    PublicField(
        "volume_usaha",
        _("Volume usaha (Rupiah)"),
        _nullable({"type": "integer"}),
        lambda c: _amount(annotated(c, "public_volume_usaha")),
    ),
)
OPTIONAL_NAMES = tuple(field.name for field in OPTIONAL)


def public_fields() -> tuple[PublicField, ...]:
    """The fields published now: always, then the enabled extras in their order."""
    enabled = set(settings.PUBLIC_EXTRA_FIELDS)
    return ALWAYS + tuple(field for field in OPTIONAL if field.name in enabled)


def public_values(cooperative: Cooperative) -> dict[str, Any]:
    """One cooperative as the public may see it (from ``public_cooperatives()``)."""
    return {field.name: field.value(cooperative) for field in public_fields()}


# What a search result shows of each cooperative, always public: the list reads
# only these (``public_listed()``), not the health result or the figures.
LISTED = ("id", "nik", "nama", "jenis", "kecamatan", "kelurahan", "status", "aktif")
_LISTED_FIELDS = tuple(field for field in ALWAYS if field.name in LISTED)


def listed_values(cooperative: Cooperative) -> dict[str, Any]:
    """The ``LISTED`` values of a cooperative from ``public_listed()``."""
    return {field.name: field.value(cooperative) for field in _LISTED_FIELDS}
