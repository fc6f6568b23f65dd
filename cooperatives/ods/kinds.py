"""The kind of a cooperative as an export writes it: jenis, pola, bentuk, status and
kelompok words, each parsed into the registry's value or refused with a message.
Pure: the kelompok table comes in as a dict (``kelompok_reference``)."""

import re
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from ..models import Bentuk, CooperativeStatus, Jenis, Pola
from . import values as v

_JENIS_WORDS: dict[str, tuple[str, str | None]] = {
    "konsumen": (Jenis.KONSUMEN, None),
    "produsen": (Jenis.PRODUSEN, None),
    "pemasaran": (Jenis.PEMASARAN, None),
    "jasa": (Jenis.JASA, None),
    "simpanpinjam": (Jenis.SIMPAN_PINJAM, None),
    "ksp": (Jenis.SIMPAN_PINJAM, Pola.KONVENSIONAL),
    "usp": (Jenis.SIMPAN_PINJAM, None),
    "simpanpinjamkonvensional": (Jenis.SIMPAN_PINJAM, Pola.KONVENSIONAL),
    "simpanpinjamsyariah": (Jenis.SIMPAN_PINJAM, Pola.SYARIAH),
    "simpanpinjamdanpembiayaansyariah": (Jenis.SIMPAN_PINJAM, Pola.SYARIAH),
    "simpanpinjampembiayaansyariah": (Jenis.SIMPAN_PINJAM, Pola.SYARIAH),
    "pembiayaansyariah": (Jenis.SIMPAN_PINJAM, Pola.SYARIAH),
    "kspps": (Jenis.SIMPAN_PINJAM, Pola.SYARIAH),
    "ksps": (Jenis.SIMPAN_PINJAM, Pola.SYARIAH),
    "kjks": (Jenis.SIMPAN_PINJAM, Pola.SYARIAH),
    "jasakeuangansyariah": (Jenis.SIMPAN_PINJAM, Pola.SYARIAH),
}
_POLA_WORDS = {
    "konvensional": Pola.KONVENSIONAL,
    "umum": Pola.KONVENSIONAL,
    "syariah": Pola.SYARIAH,
    "syariat": Pola.SYARIAH,
}
_STATUS_WORDS = {
    "aktif": CooperativeStatus.AKTIF,
    "tidakaktif": CooperativeStatus.TIDAK_AKTIF,
    "nonaktif": CooperativeStatus.TIDAK_AKTIF,
    "pasif": CooperativeStatus.TIDAK_AKTIF,
    "dalamprosespembubaran": CooperativeStatus.DALAM_PEMBUBARAN,
    "prosespembubaran": CooperativeStatus.DALAM_PEMBUBARAN,
    "dalampembubaran": CooperativeStatus.DALAM_PEMBUBARAN,
    "dibubarkan": CooperativeStatus.DIBUBARKAN,
    "bubar": CooperativeStatus.DIBUBARKAN,
    "sudahdibubarkan": CooperativeStatus.DIBUBARKAN,
}


def _jenis_key(raw: Any) -> str:
    key = v.word_key(raw)
    for prefix in ("koperasi", "kop"):
        if key.startswith(prefix) and key[len(prefix) :] in _JENIS_WORDS:
            return key[len(prefix) :]
    return key


def parse_jenis(raw: Any) -> tuple[str, str | None] | None:
    if v.is_blank(raw):
        return None
    found = _JENIS_WORDS.get(_jenis_key(raw))
    if found is None:
        raise v.CellError(
            _(
                "Jenis koperasi tidak dikenal. Pakai Konsumen, Produsen, Pemasaran, "
                "Jasa atau Simpan Pinjam."
            )
        )
    return found


def match_kelompok(
    raw: Any, known: dict[str, tuple[int, str, str]]
) -> tuple[Any, str, str] | None:
    """The kelompok a label names, matched by key against codes, names and aliases:
    ``"Koperasi Unit Desa (KUD)"``, ``"KUD"``, ``"koperasi unit desa"`` and
    ``"Kop. Unit Desa"`` are one. A label no row knows never rejects the row: it
    comes back as ``(label, "", "")`` for staff to map."""
    if v.is_blank(raw):
        return None
    label = v.text(raw)
    for candidate in _kelompok_keys(label):
        found = known.get(candidate)
        if found is not None:
            return found
    return (label[:100], "", "")


def _kelompok_keys(label: str) -> Iterator[str]:
    """Keys to try for a label: whole, without a "Koperasi"/"Kop." prefix, and for
    ``"Name (CODE)"`` the code and the name apart."""
    parts = [label]
    inside = re.search(r"\(([^()]+)\)", label)
    if inside:
        parts = [inside.group(1), label[: inside.start()], label]
    for part in parts:
        key = v.word_key(part)
        if not key:
            continue
        yield key
        for prefix in ("koperasi", "kop"):
            if key.startswith(prefix) and len(key) > len(prefix):
                yield key[len(prefix) :]


def kelompok_key(label: str) -> str:
    """The key a new label is known by (in the preview, the mapping, the table)."""
    return v.word_key(label)


def parse_pola(raw: Any) -> str | None:
    if v.is_blank(raw):
        return None
    key = v.word_key(raw)
    for word, pola in _POLA_WORDS.items():
        if word in key:
            return pola
    raise v.CellError(_("Pola tidak dikenal. Pakai Konvensional atau Syariah."))


def parse_bentuk(raw: Any) -> str | None:
    if v.is_blank(raw):
        return None
    key = v.word_key(raw)
    if key.startswith("primer"):
        return Bentuk.PRIMER
    if key.startswith(("sekunder", "pusat", "gabungan", "induk")):
        return Bentuk.SEKUNDER
    raise v.CellError(_("Bentuk koperasi tidak dikenal. Pakai Primer atau Sekunder."))


def parse_status(raw: Any) -> str | None:
    if v.is_blank(raw):
        return None
    status = _STATUS_WORDS.get(v.word_key(raw))
    if status is None:
        raise v.CellError(
            _(
                "Status tidak dikenal. Pakai Aktif, Tidak Aktif, Dalam Proses "
                "Pembubaran atau Dibubarkan."
            )
        )
    return status
