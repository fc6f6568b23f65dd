"""Compare clean records with a snapshot of the registry: new, changed, unchanged,
possible duplicate, or a conflict. Pure: the snapshot is plain data that the caller
loads (``cooperatives.imports.registry_snapshot``).

A record matches a cooperative by NIK, then by nomor badan hukum. An unmatched
record whose name (ignoring case, spaces and punctuation) already exists in the same
kelurahan is a possible duplicate: it is not registered unless the person applying
asks for it.
"""

import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils.translation import gettext as _

from ..models import FIGURE_FIELDS
from ..rules import badan_hukum_key
from . import values as v
from .cleaning import RECORD_FIELDS, Record

# Cooperative fields an import may set, in the order of a snapshot tuple.
IMPORTED_FIELDS = ("nik", *RECORD_FIELDS)
_POSITION = {name: index for index, name in enumerate(IMPORTED_FIELDS)}
_NIK_AT = _POSITION["nik"]
_BH_AT = _POSITION["nomor_badan_hukum"]
# A record's fields in the order of a snapshot's, after the NIK.
_FIELD_VALUES = operator.itemgetter(*RECORD_FIELDS)
# A record's figures in the order of a snapshot's.
_FIGURE_VALUES = operator.itemgetter(*FIGURE_FIELDS)
_NO_FIGURES = (None,) * len(FIGURE_FIELDS)


class Outcome:
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    ERROR = "error"


@dataclass
class Registry:
    """What the registry holds, as plain data: one tuple per cooperative."""

    # cooperative id -> values in IMPORTED_FIELDS order (kelurahan, kelompok as ids)
    cooperatives: dict[int, tuple[Any, ...]]
    # (cooperative id, tahun buku) -> values in FIGURE_FIELDS order
    figures: dict[tuple[int, int], tuple[Any, ...]] = field(default_factory=dict)
    # cooperative id -> name of its active ketua
    ketua: dict[int, str] = field(default_factory=dict)
    # cooperatives whose ketua has a login: an import never replaces such a ketua,
    # since that would lock them out of the portal
    ketua_locked: set[int] = field(default_factory=set)
    # (cooperative id, tahun buku) whose figures come from a RAT report the
    # Dinas accepted: an import keeps them
    reported: set[tuple[int, int]] = field(default_factory=set)

    def __post_init__(self) -> None:
        nik_at = _POSITION["nik"]
        self.by_nik: dict[str, int] = {
            row[nik_at]: pk for pk, row in self.cooperatives.items() if row[nik_at]
        }

    # Built on first use: a re-import whose rows all match by NIK never needs them
    # (normalising 150,000 names costs about half a second).
    @cached_property
    def by_badan_hukum(self) -> dict[str, list[int]]:
        bh_at = _POSITION["nomor_badan_hukum"]
        found: dict[str, list[int]] = {}
        for pk, row in self.cooperatives.items():
            key = badan_hukum_key(row[bh_at] or "")
            if key:
                found.setdefault(key, []).append(pk)
        return found

    @cached_property
    def by_name(self) -> dict[tuple[str, Any], int]:
        name_at = _POSITION["name"]
        kelurahan_at = _POSITION["kelurahan"]
        found: dict[tuple[str, Any], int] = {}
        for pk, row in self.cooperatives.items():
            found.setdefault((v.word_key(row[name_at]), row[kelurahan_at]), pk)
        return found

    def _badan_hukum_of_another(
        self, pk: int, badan_hukum: str | None
    ) -> tuple[str | None, int | None, str]:
        """A record matched by its NIK to cooperative ``pk``: an ERROR when its
        nomor badan hukum is another cooperative's. A 16-digit NIK typed into Excel
        as a number is stored with a 0 for its last digit, and can be another
        cooperative's, which the row then renamed and moved without a word. Cost:
        the index by badan hukum only when the row's differs from ``pk``'s."""
        known = self.cooperatives[pk][_BH_AT]
        key = badan_hukum_key(badan_hukum or "")
        if not key or key == badan_hukum_key(known or ""):
            return None, pk, ""
        others = [other for other in self.by_badan_hukum.get(key, []) if other != pk]
        if not others:
            return None, pk, ""
        return (
            Outcome.ERROR,
            pk,
            _(
                "NIK ini milik %(name)s di registri, tetapi nomor badan hukumnya "
                "milik koperasi lain (%(other)s). Periksa NIK-nya: NIK 16 digit yang "
                "disimpan sebagai angka di Excel bisa berubah digit terakhirnya."
            )
            % {
                "name": self.cooperatives[pk][_POSITION["name"]],
                "other": self.cooperatives[others[0]][_POSITION["name"]],
            },
        )

    def _another_name(self, pk: int, name: str) -> tuple[str | None, int | None, str]:
        """A record matched by a NIK that may have lost its last digit in Excel
        (``values.nik_may_be_rounded``): an ERROR when its name is not cooperative
        ``pk``'s, as the row would rename another cooperative. A re-import keeps
        the names, and a first import matches nothing: neither is refused."""
        known = self.cooperatives[pk][_POSITION["name"]]
        if v.word_key(known) == v.word_key(name):
            return None, pk, ""
        return (
            Outcome.ERROR,
            pk,
            _(
                "NIK ini ditulis sebagai angka di Excel, yang mengganti digit "
                "ke-16 dengan 0, dan di registri NIK ini milik %(name)s, bukan "
                "%(row)s. Ketik NIK sebagai teks (awali dengan tanda petik ') lalu "
                "unggah lagi."
            )
            % {"name": known, "row": name},
        )

    def match(
        self,
        *,
        nik: str,
        badan_hukum: str | None,
        name: str,
        kelurahan: Any,
        nik_may_be_rounded: bool = False,
    ) -> tuple[str | None, int | None, str]:
        """How a record with these values stands to the registry, by NIK, then
        nomor badan hukum, then name in the same kelurahan: ``(None, id, "")`` when
        it is cooperative ``id`` (its values are to be compared), otherwise
        ``(outcome, id or None, problem)`` with outcome NEW, DUPLICATE or ERROR.
        Cost: dict lookups (and the indexes by badan hukum and by name on first
        use)."""
        if not self.cooperatives:
            return Outcome.NEW, None, ""  # an empty registry: nothing to match
        pk = self.by_nik.get(nik) if nik else None
        if pk is not None:
            if not badan_hukum or badan_hukum == self.cooperatives[pk][_BH_AT]:
                found: tuple[str | None, int | None, str] = (None, pk, "")
            else:
                found = self._badan_hukum_of_another(pk, badan_hukum)
            if nik_may_be_rounded and found[0] is None:
                return self._another_name(pk, name)
            return found  # nearly every row: (None, pk, "")
        candidates = self.by_badan_hukum.get(badan_hukum_key(badan_hukum or ""), [])
        if len(candidates) > 1:
            return (
                Outcome.ERROR,
                None,
                _(
                    "Nomor badan hukum ini dipakai oleh lebih dari satu koperasi di "
                    "registri."
                ),
            )
        if candidates:
            pk = candidates[0]
            other_nik = self.cooperatives[pk][_POSITION["nik"]]
            # A row without a NIK is the cooperative its nomor badan hukum
            # names; one with another NIK is not.
            if nik and other_nik and other_nik != nik:
                return (
                    Outcome.ERROR,
                    pk,
                    _(
                        "Nomor badan hukum ini sudah terdaftar dengan NIK lain "
                        "(%(nik)s)."
                    )
                    % {"nik": other_nik},
                )
            return None, pk, ""
        duplicate_of = self.by_name.get((v.word_key(name), kelurahan))
        if duplicate_of is not None:
            if not nik and not badan_hukum_key(badan_hukum or ""):
                # Nothing else names it: the name in its kelurahan is the
                # cooperative (else a re-import could only call it a duplicate).
                return None, duplicate_of, ""
            return Outcome.DUPLICATE, duplicate_of, ""
        return Outcome.NEW, None, ""


@dataclass(slots=True)
class Planned:
    record: Record
    outcome: str
    cooperative_id: int | None = None
    # field -> (registry value, file value); figure fields are keyed "figures.<name>"
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    problem: str = ""
    # The column (its code) the problem of an ERROR is about.
    column: str = "nomor_badan_hukum"


def _same(old: Any, new: Any) -> bool:
    if old == new:
        return True
    if isinstance(old, str) and isinstance(new, str):
        return " ".join(old.split()) == new
    return False


def plan(records: Iterable[Record], registry: Registry) -> list[Planned]:
    """One Planned per record, in the order given. Cost: one pass, dict lookups,
    and one more over the records that match a cooperative."""
    planned = []
    for record in records:
        planned.append(_plan_one(record, registry))
    _refuse_rows_of_one_cooperative(planned)
    return planned


def _refuse_rows_of_one_cooperative(planned: list[Planned]) -> None:
    """Rows of the file that reach one cooperative of the registry by different
    keys (one by its NIK, another by its name, with neither NIK nor nomor badan
    hukum) are refused, every one of them: applied, the later row overwrote the
    earlier one's values, and gave the cooperative a second active ketua or two
    figures of one year (the apply failed on that, and again on every retry).
    ``repeated_rows`` catches the rows that share a key; these share none."""
    by_cooperative: dict[int, list[Planned]] = {}
    for item in planned:
        if item.cooperative_id is not None and item.outcome in _MATCHED:
            by_cooperative.setdefault(item.cooperative_id, []).append(item)
    for items in by_cooperative.values():
        if len(items) < 2:
            continue
        for item in items:
            others = ", ".join(
                str(other.record.row_number) for other in items if other is not item
            )
            item.outcome = Outcome.ERROR
            item.changes = {}
            item.column = "nik" if item.record.nik else "name"
            item.problem = _(
                "Baris %(rows)s juga menunjuk koperasi yang sama di registri; "
                "satu koperasi hanya boleh ada di satu baris. Gabungkan barisnya, "
                "lalu unggah lagi."
            ) % {"rows": others}


def ketua_kept(planned: Iterable[Planned], registry: Registry) -> list[int]:
    """Rows, matched to a cooperative whose ketua has a login, naming another
    ketua: the import keeps the registry's (``_changes``); the preview says so."""
    return [
        item.record.row_number
        for item in planned
        if item.outcome in _MATCHED
        and item.cooperative_id in registry.ketua_locked
        and item.record.ketua
        and v.word_key(item.record.ketua)
        != v.word_key(registry.ketua.get(item.cooperative_id, ""))
    ]


def figures_kept(planned: Iterable[Planned], registry: Registry) -> list[int]:
    """Rows, matched to a cooperative whose figures of the year come from an
    accepted RAT report, that give other figures: the import keeps the
    report's (``_changes``); the preview says so."""
    kept = []
    for item in planned:
        if item.outcome not in _MATCHED:
            continue
        key = (item.cooperative_id, item.record.tahun_buku)
        if key not in registry.reported:
            continue
        stored = registry.figures.get(key, _NO_FIGURES)  # type: ignore[arg-type]
        given = _FIGURE_VALUES(item.record.figures)
        if any(
            new is not None and new != old
            for old, new in zip(stored, given, strict=True)
        ):
            kept.append(item.record.row_number)
    return kept


def status_kept(planned: Iterable[Planned], registry: Registry) -> list[int]:
    """Rows, matched to a cooperative of the registry, whose status is another
    than the registry's: the import keeps the registry's (``_changes``); the
    preview says so."""
    at = _POSITION["status"]
    return [
        item.record.row_number
        for item in planned
        if item.outcome in _MATCHED
        and item.record.fields["status"] is not None
        and item.record.fields["status"]
        != registry.cooperatives[item.cooperative_id][at]  # type: ignore[index]
    ]


def shared_badan_hukum(planned: Iterable[Planned]) -> list[list[int]]:
    """Rows of the file, not refused, that give one nomor badan hukum to more
    than one NIK, as groups of row numbers. A number names one legal entity, so
    staff are shown them before applying; they are not refused, which would
    refuse a ministry file's own duplicates whole. Cost: a pass over the rows
    (0.2 s for 150,000), a list only for the numbers shared."""
    first: dict[str, tuple[str, int]] = {}
    shared: dict[str, dict[str, list[int]]] = {}
    for item in planned:
        record = item.record
        if not record.nik or item.outcome == Outcome.ERROR:
            continue
        key = _badan_hukum_of(record)
        if not key:
            continue
        seen = first.setdefault(key, (record.nik, record.row_number))
        if seen[0] != record.nik or key in shared:
            group = shared.setdefault(key, {seen[0]: [seen[1]]})
            if record.row_number != seen[1]:
                group.setdefault(record.nik, []).append(record.row_number)
    return [
        sorted(number for rows in niks.values() for number in rows)
        for niks in shared.values()
        if len(niks) > 1
    ]


# A record that is a cooperative of the registry, to be compared or updated.
_MATCHED = (Outcome.CHANGED, Outcome.UNCHANGED)


def _plan_one(record: Record, registry: Registry) -> Planned:
    outcome, pk, problem = registry.match(
        nik=record.nik,
        badan_hukum=record.fields.get("nomor_badan_hukum"),
        name=record.name,
        kelurahan=record.fields["kelurahan"],
        nik_may_be_rounded=record.nik_may_be_rounded,
    )
    if outcome == Outcome.NEW and _without_jenis(record):
        return Planned(
            record,
            Outcome.ERROR,
            problem=_(
                "Jenis koperasi kosong dan tidak dapat diturunkan dari kelompoknya; "
                "koperasi baru perlu jenisnya."
            ),
            column="jenis",
        )
    if outcome is not None:
        return Planned(record, outcome, cooperative_id=pk, problem=problem)
    assert pk is not None
    changes = _changes(pk, record, registry)
    outcome = Outcome.CHANGED if changes else Outcome.UNCHANGED
    return Planned(record, outcome, cooperative_id=pk, changes=changes)


def _without_jenis(record: Record) -> bool:
    """No jenis, and no new kelompok label a mapping could give one from."""
    return record.fields["jenis"] is None and type(record.fields["kelompok"]) is not str


def _changes(pk: int, record: Record, registry: Registry) -> dict[str, tuple[Any, Any]]:
    # A re-import compares every row and finds most of them unchanged: each part
    # is first compared whole (in C), and field by field only when it differs.
    current = registry.cooperatives[pk]
    changes: dict[str, tuple[Any, Any]] = {}
    fields = record.fields
    if _FIELD_VALUES(fields) != current[1:]:
        for name, new in fields.items():
            if new is None or new == "":
                continue  # blank in the export: leave the registry's value
            if name == "status":
                # The Dinas decides a cooperative's status, with a reason, on its
                # page or in the pemutakhiran; the ministry's file lags behind it
                # (an import had made a dissolved cooperative Aktif again, and
                # undone a campaign's decision). The preview names these rows
                # (``status_kept``).
                continue
            old = current[_POSITION[name]]
            if name == "last_rat_year" and old is not None and new < old:
                # An older RAT than the registry knows (an accepted RAT report
                # is later than the ministry's data) leaves the later one, as
                # accepting a report does; it had moved the year back beside
                # the date of the later meeting.
                continue
            if old != new and not _same(old, new):
                changes[name] = (old, new)
    if not current[_NIK_AT] and record.nik:
        changes["nik"] = (None, record.nik)
    existing = registry.figures.get((pk, record.tahun_buku), _NO_FIGURES)
    figures = _FIGURE_VALUES(record.figures)
    # The cooperative's own report, checked and accepted by the Dinas, is kept
    # over the ministry's copy (an import had put "Rp 30.000.000" over a
    # report's "Rp 300.000.000"); the preview names these rows (figures_kept).
    if figures != existing and (pk, record.tahun_buku) not in registry.reported:
        for name, old, new in zip(FIGURE_FIELDS, existing, figures, strict=True):
            if new is not None and old != new:
                changes[f"figures.{name}"] = (old, new)
    ketua = registry.ketua.get(pk, "")
    if (
        record.ketua
        and ketua != record.ketua
        and pk not in registry.ketua_locked
        and v.word_key(ketua) != v.word_key(record.ketua)
    ):
        changes["ketua"] = (ketua, record.ketua)
    return changes


def repeated_rows(records: list[Record]) -> dict[int, tuple[str, list[int]]]:
    """Rows that name the same cooperative as another row of the file, by row
    number, with what they share ("nik", "badan_hukum" or "name") and the other
    rows: two rows with one NIK; a row without a NIK and any other row with its
    nomor badan hukum (both would be applied to one cooperative, or make two); two
    rows with neither, of one name in one kelurahan. Cost: a pass over the rows;
    the nomor badan hukum of every row only when some row has no NIK."""
    found: dict[int, tuple[str, list[int]]] = {}

    def mark(kind: str, numbers: list[int]) -> None:
        for number in numbers:
            others = [other for other in numbers if other != number]
            found.setdefault(number, (kind, others))

    by_nik: dict[str, list[int]] = {}
    without: list[Record] = []
    for record in records:
        if record.nik:
            by_nik.setdefault(record.nik, []).append(record.row_number)
        else:
            without.append(record)
    for numbers in by_nik.values():
        if len(numbers) > 1:
            mark("nik", numbers)
    if not without:
        return found
    by_badan_hukum: dict[str, list[int]] = {}
    by_name: dict[tuple[str, Any], list[int]] = {}
    for record in without:
        key = _badan_hukum_of(record)
        if key:
            by_badan_hukum.setdefault(key, []).append(record.row_number)
        else:
            name = (v.word_key(record.name), record.fields["kelurahan"])
            by_name.setdefault(name, []).append(record.row_number)
    if by_badan_hukum:
        for record in records:
            key = _badan_hukum_of(record) if record.nik else ""
            if key in by_badan_hukum:
                by_badan_hukum[key].append(record.row_number)
    for numbers in by_badan_hukum.values():
        if len(numbers) > 1:
            mark("badan_hukum", sorted(numbers))
    for numbers in by_name.values():
        if len(numbers) > 1:
            mark("name", numbers)
    return found


def _badan_hukum_of(record: Record) -> str:
    return badan_hukum_key(record.fields.get("nomor_badan_hukum") or "")
