"""What the preview says about how a file was read (``ImportJob.notices``): each
notice is stored as a code with its values and put into words when shown, in the
reader's language."""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy

from lib.numbers import format_count


def notice_texts(notices: list[list[Any]]) -> list[str]:
    """The notices in words, in the order stored; an unknown code is left out."""
    texts = []
    for code, values in notices:
        text = _TEXTS.get(code)
        if text is not None:
            texts.append(text(values))
    return texts


def _quoted(names: list[str]) -> str:
    return ", ".join(f"“{name}”" for name in names)


def _other_sheets(values: dict[str, Any]) -> str:
    return _(
        "Lembar lain juga berisi kolom data koperasi dan tidak dibaca: %(others)s. "
        "Yang dibaca hanya “%(sheet)s”. Bila data itu juga perlu diimpor, "
        "pindahkan ke berkas sendiri lalu unggah."
    ) % {"others": _quoted(values["others"]), "sheet": values["sheet"]}


def _hidden_sheet(values: dict[str, Any]) -> str:
    return _(
        "Lembar “%(sheet)s” yang dibaca tersembunyi di Excel. Periksa bahwa "
        "isinya memang data yang dimaksud."
    ) % {"sheet": values["sheet"]}


def _formulas(values: dict[str, Any]) -> str:
    # Counted among the sheet's first rows only (``formulas_without_values``).
    return _(
        "Ada sel berisi rumus tanpa nilai tersimpan (misalnya %(cell)s) yang "
        "terbaca kosong. Buka berkasnya di Excel, simpan, lalu unggah lagi."
    ) % {"cell": values["cell"]}


def _merged(values: dict[str, Any]) -> str:
    return ngettext(
        "Baris %(rows)s berada di bawah sel gabungan (merge): nilainya dibaca "
        "dari sel gabungan itu, seperti yang tampak di lembar. Periksa baris "
        "tersebut di pratinjau.",
        "%(count)s baris (misalnya baris %(rows)s) berada di bawah sel gabungan "
        "(merge): nilainya dibaca dari sel gabungan itu, seperti yang tampak di "
        "lembar. Periksa baris-baris tersebut di pratinjau.",
        values["count"],
    ) % {
        "count": format_count(values["count"]),
        "rows": ", ".join(str(number) for number in values["rows"]),
    }


def _repeated_columns(values: dict[str, Any]) -> str:
    return _(
        "Kolom yang judulnya sudah dipakai kolom lain tidak dibaca: %(columns)s. "
        "Hanya kolom pertama dengan judul itu yang dibaca."
    ) % {"columns": _quoted(values["columns"])}


def _rows_named(values: dict[str, Any]) -> str:
    """The rows a notice names ("2, 5, 9"), "…" after them when it counts more."""
    rows = ", ".join(str(number) for number in values["rows"])
    return rows + ", …" if values["count"] > len(values["rows"]) else rows


def _layout_rows(values: dict[str, Any]) -> str:
    count = values["count"]
    rows = _rows_named(values)
    return ngettext(
        "%(n)s baris jumlah atau nomor kolom dilewati (baris %(rows)s).",
        "%(n)s baris jumlah atau nomor kolom dilewati (baris %(rows)s).",
        count,
    ) % {"n": format_count(count), "rows": rows}


def _shared_badan_hukum(values: dict[str, Any]) -> str:
    count = values["count"]
    groups = "; ".join(
        " & ".join(str(number) for number in group) for group in values["groups"]
    )
    if count > len(values["groups"]):
        groups += "; …"
    return ngettext(
        "%(n)s nomor badan hukum tertulis untuk lebih dari satu NIK (baris "
        "%(rows)s). Satu nomor badan hukum semestinya milik satu koperasi: "
        "periksa baris itu sebelum menerapkan; semuanya diterapkan seperti "
        "tertulis.",
        "%(n)s nomor badan hukum tertulis untuk lebih dari satu NIK (baris "
        "%(rows)s). Satu nomor badan hukum semestinya milik satu koperasi: "
        "periksa baris itu sebelum menerapkan; semuanya diterapkan seperti "
        "tertulis.",
        count,
    ) % {"n": format_count(count), "rows": groups}


def _rows_kept(text: Any) -> Callable[[dict[str, Any]], str]:
    """A notice of the rows whose registry value the import kept (``text``:
    counted by "count", naming "n" rows and which, "rows")."""

    def said(values: dict[str, Any]) -> str:
        count = values["count"]
        shown = {"count": count, "n": format_count(count), "rows": _rows_named(values)}
        return str(text % shown)

    return said


# What the import kept of the registry's where a row gave another value.
KETUA_KEPT = ngettext_lazy(
    "%(n)s baris menulis Nama Ketua lain untuk koperasi yang ketuanya sudah "
    "punya akun (baris %(rows)s). Ketua itu tidak diganti oleh impor; bila "
    "memang berganti, ubah di halaman koperasi.",
    "%(n)s baris menulis Nama Ketua lain untuk koperasi yang ketuanya sudah "
    "punya akun (baris %(rows)s). Ketua itu tidak diganti oleh impor; bila "
    "memang berganti, ubah di halaman koperasi.",
    "count",
)
STATUS_KEPT = ngettext_lazy(
    "%(n)s baris menulis status lain dari status koperasinya di registri "
    "(baris %(rows)s). Impor tidak mengubah status: status berubah hanya "
    "dengan keputusan Dinas beserta alasannya, di halaman koperasi atau di "
    "pemutakhiran.",
    "%(n)s baris menulis status lain dari status koperasinya di registri "
    "(baris %(rows)s). Impor tidak mengubah status: status berubah hanya "
    "dengan keputusan Dinas beserta alasannya, di halaman koperasi atau di "
    "pemutakhiran.",
    "count",
)
FIGURES_KEPT = ngettext_lazy(
    "%(n)s baris memberi angka keragaan lain untuk tahun buku yang angkanya "
    "berasal dari laporan RAT yang sudah diterima Dinas (baris %(rows)s). "
    "Angka laporan RAT itu tidak diganti oleh impor; bila memang keliru, "
    "ubah di halaman koperasi.",
    "%(n)s baris memberi angka keragaan lain untuk tahun buku yang angkanya "
    "berasal dari laporan RAT yang sudah diterima Dinas (baris %(rows)s). "
    "Angka laporan RAT itu tidak diganti oleh impor; bila memang keliru, "
    "ubah di halaman koperasi.",
    "count",
)


_TEXTS = {
    "ketua_kept": _rows_kept(KETUA_KEPT),
    "figures_kept": _rows_kept(FIGURES_KEPT),
    "status_kept": _rows_kept(STATUS_KEPT),
    "other_sheets": _other_sheets,
    "hidden_sheet": _hidden_sheet,
    "formulas": _formulas,
    "merged": _merged,
    "repeated_columns": _repeated_columns,
    "layout_rows": _layout_rows,
    "shared_badan_hukum": _shared_badan_hukum,
}
