"""The plan file: what an import's preview found to write, one compact list per
record (new, changed or possibly duplicated), kept beside the job until it is
applied. Also the JSON form of single values that the audit trail stores for undo.

A record's fields are in RECORD_FIELDS order and its figures in FIGURE_FIELDS order;
converting by position keeps the round trip of 150,000 records under a second.
"""

import datetime
from decimal import Decimal
from typing import Any

from ..models import FIGURE_FIELDS
from ..ods.cleaning import COUNT_FIGURES, RECORD_FIELDS, Record

DATE_FIELDS = {"tanggal_badan_hukum"}
# Record fields that are foreign keys, and the model's column for each.
FK_FIELDS = {"kelurahan": "kelurahan_id", "kelompok": "kelompok_id"}
MONEY_FIGURES = set(FIGURE_FIELDS) - set(COUNT_FIGURES)


def value_to_json(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def value_from_json(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in DATE_FIELDS:
        return datetime.date.fromisoformat(value)
    if name in MONEY_FIGURES:
        return Decimal(value)
    return value


# Where the plan file holds a date or an amount as text, and other fields the apply
# reads by position.
_DATES_AT = tuple(i for i, name in enumerate(RECORD_FIELDS) if name in DATE_FIELDS)
BADAN_HUKUM_AT = RECORD_FIELDS.index("nomor_badan_hukum")
KELURAHAN_AT = RECORD_FIELDS.index("kelurahan")
KELOMPOK_AT = RECORD_FIELDS.index("kelompok")
JENIS_AT = RECORD_FIELDS.index("jenis")
POLA_AT = RECORD_FIELDS.index("pola")
_MONEY_AT = tuple(i for i, name in enumerate(FIGURE_FIELDS) if name in MONEY_FIGURES)


def record_to_json(record: Record, outcome: str) -> list[Any]:
    """A compact list (the plan file holds up to hundreds of thousands of them)."""
    fields = [record.fields[name] for name in RECORD_FIELDS]
    for i in _DATES_AT:
        if fields[i] is not None:
            fields[i] = fields[i].isoformat()
    figures = [record.figures[name] for name in FIGURE_FIELDS]
    # str, three times as fast as format(value, "f"), is the same plain text for
    # parse_money's amounts: two decimal places, never an exponent.
    for i in _MONEY_AT:
        if figures[i] is not None:
            figures[i] = str(figures[i])
    return [
        record.row_number,
        outcome,
        record.nik,
        record.name,
        fields,
        figures,
        record.tahun_buku,
        record.ketua,
    ]


def record_from_json(data: list[Any]) -> tuple[Record, str]:
    """The record back from its plan-file list (whose values it converts in place),
    with the outcome the preview found."""
    number, outcome, nik, name, fields, figures, tahun_buku, ketua = data
    for i in _DATES_AT:
        if fields[i] is not None:
            fields[i] = datetime.date.fromisoformat(fields[i])
    for i in _MONEY_AT:
        if figures[i] is not None:
            figures[i] = Decimal(figures[i])
    return (
        Record(
            row_number=number,
            nik=nik,
            name=name,
            fields=dict(zip(RECORD_FIELDS, fields, strict=True)),
            figures=dict(zip(FIGURE_FIELDS, figures, strict=True)),
            tahun_buku=tahun_buku,
            ketua=ketua,
        ),
        outcome,
    )
