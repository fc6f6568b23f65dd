"""A snapshot as files: .xlsx (one sheet per table, plus Rp juta), PDF on the office
letterhead with the map, a chart, a signature block and a QR code to the public
verification page, and CSV (R5, the Satu Data table)."""

import datetime
import tempfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.display import frozen_label, moment_shown
from lib.excel import (
    DATE_FORMAT,
    csv_bytes,
    is_formula_like,
    workbook_streaming,
)
from lib.numbers import format_count, format_decimal, format_rupiah, format_thousands
from lib.office import office_context
from lib.pdf import html_to_pdf
from lib.svgchart import render_bar_chart

from .definitions import DEFINITIONS, satu_data_number
from .map import RegionMap, snapshot_map
from .models import RekapSnapshot

_NUMBER_FORMATS = {
    "int": "#,##0",
    "year": "0",
    # Whole Rupiah as the web page shows them ("1.250.000", not "1.250.000,00");
    # Rp juta to the ten thousand.
    "money": "#,##0",
    "money_juta": "#,##0.00",
    "percent": "0.00",
    "number": "#,##0.00",
    "date": DATE_FORMAT,
}


def title_lines(snapshot: RekapSnapshot) -> list[str]:
    return [
        snapshot.heading,
        _("Tahun buku %(year)s, keadaan per %(date)s")
        % {
            "year": snapshot.tahun_buku,
            "date": date_format(snapshot.figures_as_of, "j F Y"),
        },
        _("Dibekukan %(when)s, versi %(version)s, status %(status)s")
        % {
            "when": moment_shown(snapshot.frozen_at),
            "version": snapshot.version,
            "status": snapshot.get_status_display(),
        },
        f"SHA-256: {snapshot.content_hash}",
    ]


def frozen_note(snapshot: RekapSnapshot) -> str | None:
    """Said wherever the figures go when frozen long after the date they are
    "as of" (the page and the PDF; the workbook, which is what is forwarded to the
    province and the Ministry, had left it out)."""
    if not snapshot.frozen_long_after:
        return None
    return _(
        "Diminta keadaan per %(date)s; angka rekap ini adalah registri pada saat "
        "dibekukan (%(frozen)s), bukan keadaan pada tanggal yang diminta: status "
        "dan angka yang berubah sesudahnya terhitung seperti saat dibekukan."
    ) % {
        "frozen": date_format(timezone.localtime(snapshot.frozen_at), "j F Y"),
        "date": date_format(snapshot.as_of, "j F Y"),
    }


def typed(value: Any, kind: str, *, millions: bool = False) -> Any:
    """A frozen cell as the number or date it is; text stays text (written with
    a quote prefix by ``_write_table`` when it looks like a formula)."""
    if kind == "text" or value is None or value == "":
        return str(value or "")
    if kind == "date":
        return datetime.date.fromisoformat(str(value))
    number = Decimal(str(value))
    if millions and kind == "money":
        number = in_millions(number)
    if kind in ("int", "year") or (kind == "number" and number == number.to_integral()):
        # R5's "data" holds counts and Rupiah as whole numbers, shares with
        # decimals: a whole one is written (and shown) as one.
        return int(number)
    return float(number)


def _text(
    sheet: Any, row: int, col: int, text: str, style: Any, formats: dict[str, Any]
) -> None:
    """A text cell; one that looks like a formula stays text, shown as typed
    (Excel's quote prefix, not the CSV rule's visible apostrophe)."""
    sheet.write_string(
        row, col, text, formats["inert"] if is_formula_like(text) else style
    )


def _write_table(
    workbook: Any,
    formats: dict[str, Any],
    snapshot: RekapSnapshot,
    table: dict[str, Any],
    *,
    millions: bool,
) -> None:
    name = table["key"].upper() + (" (Rp juta)" if millions else "")
    sheet = workbook.add_worksheet(name[:31])
    lines = title_lines(snapshot)
    for i, line in enumerate(lines):
        _text(sheet, i, 0, line, formats["title" if i == 0 else "meta"], formats)
    # In the row above the header, which is otherwise empty: the header stays
    # on the same row in every workbook, for whoever reads them by program.
    note = frozen_note(snapshot)
    if note:
        _text(sheet, len(lines), 0, note, formats["warning"], formats)
    header_row = len(lines) + 1
    columns = table["columns"]
    widths = [len(frozen_label(c["label"])) for c in columns]
    for j, column in enumerate(columns):
        label = frozen_label(column["label"])
        if millions and column["kind"] == "money":
            label = label.replace("(Rp)", "(Rp juta)")
        _text(sheet, header_row, j, label, formats["header"], formats)
    body = [(row, False) for row in table["rows"]]
    if table.get("total"):
        body.append((table["total"], True))
    for i, (row, is_total) in enumerate(body, start=header_row + 1):
        for j, (value, column) in enumerate(zip(row, columns, strict=True)):
            kind = shown_kind(column)
            cell = typed(value, kind, millions=millions)
            if is_total and j == 0 and isinstance(cell, str):
                cell = frozen_label(cell)  # "Jumlah", in the reader's language
            if kind == "number" and isinstance(cell, int):
                kind = "int"  # "575", not "575." under "#,##0.##"
            elif kind == "money" and millions:
                kind = "money_juta"
            style = formats[("total_" if is_total else "") + kind]
            if cell == "" and not is_total:
                continue  # an empty cell costs nothing (R3 has many)
            if isinstance(cell, str):
                _text(sheet, i, j, cell, style, formats)
                width = len(cell)
            elif isinstance(cell, datetime.date):
                sheet.write_datetime(i, j, cell, style)
                width = 10
            else:
                sheet.write_number(i, j, cell, style)
                width = len(format_thousands(int(cell))) + 3
            widths[j] = max(widths[j], width)
    for j, width in enumerate(widths):
        sheet.set_column(j, j, min(max(width + 2, 8), 60))
    sheet.freeze_panes(header_row + 1, 1)


def snapshot_xlsx(snapshot: RekapSnapshot) -> bytes:
    """One sheet per table (and, for tables with money, one in Rp juta): title block,
    frozen header, typed numbers, the total row in bold, widths that fit."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rekap.xlsx"
        # Constant memory: R3 over a large registry has 100,000+ rows.
        _write_workbook(workbook_streaming(path), snapshot)
        return path.read_bytes()


def _write_workbook(workbook: Any, snapshot: RekapSnapshot) -> None:
    formats: dict[str, Any] = {
        "title": workbook.add_format({"bold": True, "font_size": 13}),
        "meta": workbook.add_format({"italic": True, "font_color": "#555555"}),
        "warning": workbook.add_format({"bold": True, "font_color": "#9C5700"}),
        "inert": workbook.add_format({"quote_prefix": True}),
        "header": workbook.add_format(
            {"bold": True, "bg_color": "#E9ECEF", "text_wrap": True, "border": 1}
        ),
    }
    for kind in ("text", *_NUMBER_FORMATS):
        spec = {"num_format": _NUMBER_FORMATS[kind]} if kind in _NUMBER_FORMATS else {}
        formats[kind] = workbook.add_format(spec)
        formats[f"total_{kind}"] = workbook.add_format({**spec, "bold": True, "top": 1})
    for table in snapshot.tables:
        _write_table(workbook, formats, snapshot, table, millions=False)
        if any(c["kind"] == "money" for c in table["columns"]):
            _write_table(workbook, formats, snapshot, table, millions=True)
    notes = paper_notes(snapshot)
    note = frozen_note(snapshot)
    if note:
        notes = (note, *notes)
    if notes:
        sheet = workbook.add_worksheet(str(_("Keterangan"))[:31])
        sheet.set_column(0, 0, 120)
        for i, note in enumerate(notes):
            _text(sheet, i, 0, str(note), None, formats)
    workbook.close()


# Said where amounts are in Rp juta (the PDF, the workbook's juta sheets): each
# row and the total are rounded on their own.
MILLIONS_NOTE = gettext_lazy(
    "Rp juta: setiap baris dan jumlahnya dibulatkan sendiri-sendiri ke dua "
    "desimal dari rupiah penuh, sehingga penjumlahan baris yang tampak dapat "
    "berbeda beberapa sen juta (0,01–0,02) dari jumlahnya."
)


def paper_notes(snapshot: RekapSnapshot) -> tuple[Any, ...]:
    """What the report's columns count, and, where it has amounts, how its Rp
    juta are rounded."""
    notes = DEFINITIONS[snapshot.code].notes
    if any(c["kind"] == "money" for t in snapshot.tables for c in t["columns"]):
        notes = (*notes, MILLIONS_NOTE)
    return notes


def snapshot_csv(snapshot: RekapSnapshot) -> bytes:
    """The first table as CSV (UTF-8 with BOM); for R5, the Satu Data upload."""
    table = snapshot.tables[0]
    kinds = [shown_kind(c) for c in table["columns"]]
    rows = [
        [
            satu_data_number(value) if kind == "number" else value
            for value, kind in zip(row, kinds, strict=True)
        ]
        for row in table["rows"]
    ]
    return csv_bytes([c["key"] for c in table["columns"]], rows)


def snapshot_region_map(snapshot: RekapSnapshot) -> RegionMap | None:
    """The definition's map measure drawn from the snapshot's own region rows (R1:
    share aktif; R4: campaign progress), or None."""
    map_columns = DEFINITIONS[snapshot.code].map_columns
    table = snapshot.tables[0]
    keys = [c["key"] for c in table["columns"]]
    if map_columns is None or not all(
        str(code).count(".") >= 2 for code in table["row_keys"]
    ):
        return None
    top_key, bottom_key, measure = map_columns
    if top_key not in keys or bottom_key not in keys:
        return None
    top, bottom = keys.index(top_key), keys.index(bottom_key)
    shares = {
        code: (int(row[top]), int(row[bottom]))
        for code, row in zip(table["row_keys"], table["rows"], strict=True)
    }
    names = {}
    if "label" in keys:
        label = keys.index("label")
        names = {
            code: str(row[label])
            for code, row in zip(table["row_keys"], table["rows"], strict=True)
        }
    return snapshot_map(
        shares=shares, names=names, measure=measure, tahun_buku=snapshot.tahun_buku
    )


def snapshot_charts(snapshot: RekapSnapshot) -> list[str]:
    """Bar charts (SVG) of the number of cooperatives and the aktif ones per row."""
    charts = []
    for table in snapshot.tables:
        keys = [c["key"] for c in table["columns"]]
        if "jumlah" not in keys:
            continue
        for key, title in (
            ("jumlah", _("Jumlah koperasi")),
            ("aktif", _("Aktif")),
            ("terverifikasi", _("Terverifikasi")),
        ):
            if key not in keys:
                continue
            i = keys.index(key)
            values = [int(row[i]) for row in table["rows"]]
            charts.append(
                render_bar_chart(
                    [str(row[0]) for row in table["rows"]],
                    values,
                    title=f"{title} — {frozen_label(table['title'])}",
                    value_labels=[format_count(v) for v in values],
                )
            )
    return charts


# WeasyPrint lays out a wide table at about 30 rows a second on the office's
# machine (R3's 18 columns: 500 rows in 15 s), so a longer list is offered as .xlsx
# only rather than hold a request for minutes (docs/performance.md).
PDF_MAX_ROWS = 1000


def pdf_too_long(snapshot: RekapSnapshot) -> bool:
    return sum(len(table["rows"]) for table in snapshot.tables) > PDF_MAX_ROWS


def verification_url(snapshot: RekapSnapshot) -> str:
    """The address its QR code opens: the office's public one (SITE_URL), not the
    one the staff member who downloaded it typed."""
    path = reverse("reports:rekap_verify", args=[snapshot.verification_token])
    return settings.SITE_URL + path


def snapshot_pdf(snapshot: RekapSnapshot) -> bytes:
    """Render with WeasyPrint (``lib.pdf``: imported on first use)."""
    url = verification_url(snapshot)
    region_map = snapshot_region_map(snapshot)
    html = render_to_string(
        "reports/rekap/pdf.html",
        {
            "snapshot": snapshot,
            "title_lines": title_lines(snapshot),
            "definition": DEFINITIONS[snapshot.code],
            "notes": paper_notes(snapshot),
            "tables": display_tables(snapshot, millions=True),
            "map": region_map,
            "charts": snapshot_charts(snapshot),
            "verification_url": url,
            "qr_svg": segno.make(url, error="m").svg_data_uri(scale=3, border=2),
            "signer": settings.STATUS_LETTER_SIGNER,
            **office_context(),
        },
    )
    return html_to_pdf(html, base_url=settings.SITE_URL)


# Counts frozen as "int" that are years: shown as years ("2025"), not as a
# thousand and twenty-five ("2.025"). The frozen content stays as it is.
_YEAR_COLUMNS = frozenset({"tahun", "rat_terakhir"})


def shown_kind(column: dict[str, Any]) -> str:
    """How a column's cells are shown (``shown``): its kind, a year told apart."""
    if column["kind"] == "int" and column.get("key") in _YEAR_COLUMNS:
        return "year"
    return str(column["kind"])


def in_millions(amount: Decimal) -> Decimal:
    """Rupiah as Rp juta with two decimals, half up as every other rounding of
    the rekap (half to even gave 12.625,44 for Rp 12.625.445.000)."""
    return (amount / Decimal(1_000_000)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def shown(value: Any, kind: str, *, millions: bool = False) -> str:
    """One way to show a frozen cell: Rupiah (or Rp juta), thousands, percent."""
    if kind == "text" or value is None or value == "":
        return str(value or "")
    if kind == "year":
        return str(int(value))
    if kind == "date":
        return date_format(datetime.date.fromisoformat(str(value)), "j M Y")
    if kind == "money" and millions:
        # A plain number under "(Rp juta)", with no "Rp" to say it is written
        # the Indonesian way: in the reader's language, as the counts beside
        # it ("134.073,94" beside "9,739" in English read as two ways at once).
        return format_decimal(in_millions(Decimal(str(value))))
    if kind == "money":
        return format_rupiah(Decimal(str(value)))
    if kind == "percent":
        # In the reader's language, as the map beside it ("76,92%", "76.92%").
        return number_format(Decimal(str(value))) + "%"
    if kind == "int":
        return format_count(int(value))
    number = Decimal(str(value))
    if number == number.to_integral():
        return format_count(number)
    return format_decimal(number)


def display_tables(
    snapshot: RekapSnapshot, *, millions: bool = False, limit: int | None = None
) -> list[dict[str, Any]]:
    """The frozen tables with every cell formatted for a page or the PDF; money in
    Rp juta when ``millions`` (the Ministry's unit, and what fits on A4). With
    ``limit``, only that many rows of each table (``row_count`` says how many
    there are): R3 of a large registry has 100,000+."""
    result = []
    for table in snapshot.tables:
        rows = table["rows"] if limit is None else table["rows"][:limit]
        kinds = [shown_kind(c) for c in table["columns"]]
        columns = [
            {
                **c,
                "label": frozen_label(c["label"]).replace("(Rp)", "(Rp juta)")
                if millions
                else frozen_label(c["label"]),
            }
            for c in table["columns"]
        ]
        result.append(
            {
                "key": table["key"],
                "title": frozen_label(table["title"]),
                "columns": columns,
                "rows": [
                    [
                        (shown(v, k, millions=millions), k)
                        for v, k in zip(row, kinds, strict=True)
                    ]
                    for row in rows
                ],
                "row_count": len(table["rows"]),
                "truncated": len(rows) < len(table["rows"]),
                "total": [
                    (
                        frozen_label(v)
                        if i == 0 and isinstance(v, str)
                        else shown(v, k, millions=millions),
                        k,
                    )
                    for i, (v, k) in enumerate(
                        zip(table["total"] or [], kinds, strict=False)
                    )
                ],
            }
        )
    return result
