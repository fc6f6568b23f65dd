"""Rule-set definitions: parsed from plain data (a YAML file) and validated whole.

``parse_ruleset`` collects every problem it finds and raises one ``RuleSetError``
listing them all, so whoever re-keys the official tables fixes a file in one pass.
What it checks: aspect weights sum to 100; each band table covers the whole number
line (or 0–100 for the checklist rule) with no gap and no overlap, its bounds written
as intervals (``[5, 7)``) so inclusive/exclusive is never implied; skor move in the
stated direction; formulas name only declared inputs; every checklist item has a
text; codes are unique.
"""

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from itertools import pairwise
from typing import Any

from .formula import Formula, FormulaError, compile_formula

PREDIKAT_CODES = (
    "sehat",
    "cukup_sehat",
    "dalam_pengawasan",
    "dalam_pengawasan_khusus",
)
JENIS_CODES = ("konsumen", "produsen", "pemasaran", "jasa", "simpan_pinjam")
DIRECTIONS = ("higher_is_better", "lower_is_better")
UNITS = ("%", "x", "hari")
# Registry figures an input may be prefilled from (``CooperativeFigures`` fields).
PREFILL_FIELDS = ("aset", "modal_sendiri", "modal_luar", "shu", "volume_usaha")
SKORS = (1, 2, 3, 4)

_INTERVAL = re.compile(
    r"^\s*(?P<open>[\[(])\s*(?P<low>[^,]+?)\s*,\s*(?P<high>[^,]+?)\s*(?P<close>[\])])\s*$"
)
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


class RuleSetError(ValueError):
    def __init__(self, errors: Sequence[str]):
        super().__init__("\n".join(errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class Band:
    """One row of a band table: values in the interval get ``skor``.

    ``lower``/``upper`` of ``None`` mean minus/plus infinity.
    """

    skor: int
    lower: Decimal | None
    lower_inclusive: bool
    upper: Decimal | None
    upper_inclusive: bool

    def contains(self, value: Decimal | Fraction) -> bool:
        exact = Fraction(value)
        if self.lower is not None:
            low = Fraction(self.lower)
            if exact < low or (exact == low and not self.lower_inclusive):
                return False
        if self.upper is not None:
            high = Fraction(self.upper)
            if exact > high or (exact == high and not self.upper_inclusive):
                return False
        return True

    @property
    def interval(self) -> str:
        low = "-inf" if self.lower is None else _plain(self.lower)
        high = "inf" if self.upper is None else _plain(self.upper)
        return (
            ("[" if self.lower_inclusive else "(")
            + f"{low}, {high}"
            + ("]" if self.upper_inclusive else ")")
        )


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    text: str


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    kind: str  # "checklist" or "ratio"
    items: tuple[ChecklistItem, ...] = ()
    formula: Formula | None = None
    unit: str = "%"
    direction: str = "higher_is_better"
    bands: tuple[Band, ...] = ()
    lever: str | None = None
    provisional: bool = False
    note: str = ""

    @property
    def is_checklist(self) -> bool:
        return self.kind == "checklist"


@dataclass(frozen=True)
class SubAspect:
    code: str
    name: str
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Aspect:
    code: str
    name: str
    weight: Decimal
    sub_aspects: tuple[SubAspect, ...]

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for sub in self.sub_aspects for i in sub.indicators)


@dataclass(frozen=True)
class InputDef:
    name: str
    label: str
    prefill_field: str | None = None
    prefill_previous_year: bool = False


@dataclass(frozen=True)
class PredikatBand:
    minimum: Decimal | None  # None: everything below the previous band
    code: str


@dataclass(frozen=True)
class RuleSet:
    code: str
    version: int
    name: str
    variant: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    jenis: tuple[str, ...]
    aspects: tuple[Aspect, ...]
    inputs: tuple[InputDef, ...]
    checklist_bands: tuple[Band, ...]
    predikat: tuple[PredikatBand, ...]
    source: str = ""
    indicator_index: dict[str, Indicator] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def label(self) -> str:
        return f"{self.code}@{self.version}"

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for a in self.aspects for i in a.indicators)

    @property
    def has_provisional(self) -> bool:
        return any(i.provisional for i in self.indicators)

    @property
    def item_codes(self) -> frozenset[str]:
        return frozenset(item.code for i in self.indicators for item in i.items)

    @property
    def input_names(self) -> frozenset[str]:
        return frozenset(i.name for i in self.inputs)

    def indicator(self, code: str) -> Indicator:
        return self.indicator_index[code]

    def input_label(self, name: str) -> str:
        return next((i.label for i in self.inputs if i.name == name), name)


def parse_ruleset(data: Mapping[str, Any]) -> RuleSet:
    """Build a ``RuleSet`` from plain data, or raise ``RuleSetError`` with every
    problem found."""
    return _Parser(data).parse()


def parse_interval(text: str) -> tuple[Decimal | None, bool, Decimal | None, bool]:
    match = _INTERVAL.match(str(text))
    if not match:
        raise ValueError(f"rentang {text!r} bukan bentuk [a, b), (a, b], ...")
    low = _bound(match["low"], infinite=("-inf",))
    high = _bound(match["high"], infinite=("inf", "+inf"))
    lower_inclusive = match["open"] == "["
    upper_inclusive = match["close"] == "]"
    if (low is None and lower_inclusive) or (high is None and upper_inclusive):
        raise ValueError(f"rentang {text!r}: tak hingga selalu terbuka")
    if (
        low is not None
        and high is not None
        and (low > high or (low == high and not (lower_inclusive and upper_inclusive)))
    ):
        raise ValueError(f"rentang {text!r} kosong")
    return low, lower_inclusive, high, upper_inclusive


def _bound(text: str, *, infinite: tuple[str, ...]) -> Decimal | None:
    """A number, or ``None`` for the open end (``-inf`` below, ``inf`` above)."""
    if text.strip().lower() in infinite:
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"batas {text!r} bukan angka") from None
    if not value.is_finite():
        raise ValueError(f"batas {text!r}: tak hingga bawah -inf, atas inf")
    return value


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class _Parser:
    def __init__(self, data: Mapping[str, Any]):
        self.data = data
        self.errors: list[str] = []
        self.codes: set[str] = set()

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def parse(self) -> RuleSet:
        data = self.data
        if not isinstance(data, Mapping):
            raise RuleSetError(["definisi harus berupa pemetaan (mapping)"])
        code = self.text(data, "code", "rule set")
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            self.error("rule set", "version harus bilangan bulat >= 1")
            version = 0
        valid_from = self.date(data, "valid_from", required=True)
        valid_to = self.date(data, "valid_to", required=False)
        if valid_from and valid_to and valid_to < valid_from:
            self.error("rule set", "valid_to lebih awal dari valid_from")
        jenis = tuple(data.get("jenis") or ())
        if not jenis:
            self.error("rule set", "jenis koperasi yang dicakup belum disebut")
        for item in jenis:
            if item not in JENIS_CODES:
                self.error("rule set", f"jenis {item!r} tidak dikenal")
        inputs = self.parse_inputs(data.get("inputs") or [])
        input_names = {i.name for i in inputs}
        checklist_bands = self.parse_bands(
            data.get("checklist_bands"),
            "checklist_bands",
            "higher_is_better",
            lower=Decimal(0),
            upper=Decimal(100),
        )
        aspects = tuple(
            self.parse_aspect(raw, input_names) for raw in data.get("aspects") or []
        )
        if not aspects:
            self.error("rule set", "tidak ada aspek")
        total = sum((a.weight for a in aspects), Decimal(0))
        if aspects and total != 100:
            self.error("rule set", f"jumlah bobot aspek {_plain(total)}, harus 100")
        predikat = self.parse_predikat(data.get("predikat") or [])
        if self.errors:
            raise RuleSetError(self.errors)
        ruleset = RuleSet(
            code=code,
            version=version,
            name=self.text(data, "name", "rule set"),
            variant=str(data.get("variant") or ""),
            valid_from=valid_from or datetime.date.min,
            valid_to=valid_to,
            jenis=jenis,
            aspects=aspects,
            inputs=inputs,
            checklist_bands=checklist_bands,
            predikat=predikat,
            source=str(data.get("source") or ""),
        )
        ruleset.indicator_index.update({i.code: i for i in ruleset.indicators})
        return ruleset

    def text(self, data: Mapping[str, Any], key: str, where: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.error(where, f"{key} wajib diisi")
            return ""
        return value.strip()

    def date(
        self, data: Mapping[str, Any], key: str, *, required: bool
    ) -> datetime.date | None:
        value = data.get(key)
        if value is None:
            if required:
                self.error("rule set", f"{key} wajib diisi")
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            self.error("rule set", f"{key} {value!r} bukan tanggal YYYY-MM-DD")
            return None

    def code(self, raw: Mapping[str, Any], where: str) -> str:
        code = raw.get("code")
        if not isinstance(code, str) or not _CODE.match(code):
            self.error(where, f"kode {code!r} harus huruf kecil, angka, garis bawah")
            return str(code)
        if code in self.codes:
            self.error(where, f"kode {code!r} dipakai dua kali")
        self.codes.add(code)
        return code

    def parse_inputs(self, raw_inputs: Sequence[Any]) -> tuple[InputDef, ...]:
        inputs = []
        names: set[str] = set()
        for raw in raw_inputs:
            name = str(raw.get("name", ""))
            where = f"masukan {name or '?'}"
            if not _CODE.match(name):
                self.error(where, "nama masukan harus huruf kecil, angka, garis bawah")
            if name in names:
                self.error(where, "nama masukan dipakai dua kali")
            names.add(name)
            prefill = raw.get("prefill") or {}
            prefill_field = prefill.get("field")
            if prefill_field is not None and prefill_field not in PREFILL_FIELDS:
                self.error(where, f"prefill.field {prefill_field!r} tidak dikenal")
            year = prefill.get("year", "current")
            if year not in ("current", "previous"):
                self.error(where, "prefill.year harus current atau previous")
            inputs.append(
                InputDef(
                    name=name,
                    label=self.text(raw, "label", where),
                    prefill_field=prefill_field,
                    prefill_previous_year=year == "previous",
                )
            )
        if not inputs:
            self.error("rule set", "tidak ada masukan keuangan (inputs)")
        return tuple(inputs)

    def parse_aspect(self, raw: Mapping[str, Any], input_names: set[str]) -> Aspect:
        code = self.code(raw, "aspek")
        where = f"aspek {code}"
        try:
            weight = Decimal(str(raw.get("weight")))
        except InvalidOperation:
            self.error(where, "bobot bukan angka")
            weight = Decimal(0)
        if not weight.is_finite() or weight <= 0:
            self.error(where, "bobot harus lebih dari 0")
            weight = Decimal(0)
        subs = tuple(
            self.parse_sub_aspect(sub, input_names)
            for sub in raw.get("sub_aspects") or []
        )
        if not subs:
            self.error(where, "tidak ada sub-aspek")
        return Aspect(
            code=code,
            name=self.text(raw, "name", where),
            weight=weight,
            sub_aspects=subs,
        )

    def parse_sub_aspect(
        self, raw: Mapping[str, Any], input_names: set[str]
    ) -> SubAspect:
        code = self.code(raw, "sub-aspek")
        where = f"sub-aspek {code}"
        indicators = tuple(
            self.parse_indicator(ind, input_names)
            for ind in raw.get("indicators") or []
        )
        if not indicators:
            self.error(where, "tidak ada indikator")
        return SubAspect(
            code=code, name=self.text(raw, "name", where), indicators=indicators
        )

    def parse_indicator(
        self, raw: Mapping[str, Any], input_names: set[str]
    ) -> Indicator:
        code = self.code(raw, "indikator")
        where = f"indikator {code}"
        name = self.text(raw, "name", where)
        kind = raw.get("kind")
        provisional = bool(raw.get("provisional", False))
        note = str(raw.get("note") or "")
        if kind == "checklist":
            items = []
            for item in raw.get("items") or []:
                item_code = self.code(item, where)
                text = item.get("text")
                if not isinstance(text, str) or not text.strip():
                    self.error(f"{where}, butir {item_code}", "teks butir kosong")
                items.append(
                    ChecklistItem(code=item_code, text=str(text or "").strip())
                )
            if not items:
                self.error(where, "daftar periksa tanpa butir")
            return Indicator(
                code=code,
                name=name,
                kind=kind,
                items=tuple(items),
                provisional=provisional,
                note=note,
            )
        if kind != "ratio":
            self.error(where, "kind harus checklist atau ratio")
            return Indicator(code=code, name=name, kind="ratio")
        formula = None
        try:
            formula = compile_formula(str(raw.get("formula", "")))
        except FormulaError as error:
            self.error(where, str(error))
        if formula is not None:
            unknown = sorted(formula.names - input_names)
            if unknown:
                self.error(where, f"rumus memakai masukan tak dikenal: {unknown}")
        direction = raw.get("direction")
        if direction not in DIRECTIONS:
            self.error(where, f"direction harus salah satu dari {DIRECTIONS}")
            direction = "higher_is_better"
        unit = raw.get("unit", "%")
        if unit not in UNITS:
            self.error(where, f"unit harus salah satu dari {UNITS}")
        lever = raw.get("lever")
        if lever is not None and (formula is None or lever not in formula.names):
            self.error(where, f"lever {lever!r} tidak ada dalam rumus")
        bands = self.parse_bands(raw.get("bands"), where, direction)
        return Indicator(
            code=code,
            name=name,
            kind=kind,
            formula=formula,
            unit=unit,
            direction=direction,
            bands=bands,
            lever=lever,
            provisional=provisional,
            note=note,
        )

    def parse_bands(
        self,
        raw_bands: Any,
        where: str,
        direction: str,
        *,
        lower: Decimal | None = None,
        upper: Decimal | None = None,
    ) -> tuple[Band, ...]:
        """Bands sorted by value; they must tile [lower, upper] (default the whole
        line) exactly, and each skor 1-4 must appear."""
        if not isinstance(raw_bands, list) or not raw_bands:
            self.error(where, "tabel rentang (bands) kosong")
            return ()
        bands = []
        for raw in raw_bands:
            skor = raw.get("skor") if isinstance(raw, Mapping) else None
            if skor not in SKORS:
                self.error(where, f"skor {skor!r} harus 1, 2, 3 atau 4")
                continue
            try:
                low, low_inc, high, high_inc = parse_interval(raw.get("range", ""))
            except ValueError as error:
                self.error(where, str(error))
                continue
            bands.append(Band(skor, low, low_inc, high, high_inc))
        if len(bands) != len(raw_bands):
            return tuple(bands)
        bands.sort(key=_band_sort_key)
        if {b.skor for b in bands} != set(SKORS):
            self.error(where, "setiap skor 1, 2, 3 dan 4 harus punya rentang")
        first, last = bands[0], bands[-1]
        if first.lower != lower or (lower is not None and not first.lower_inclusive):
            expected = "-inf" if lower is None else f"[{_plain(lower)}"
            self.error(where, f"rentang tidak mulai dari {expected}")
        if last.upper != upper or (upper is not None and not last.upper_inclusive):
            expected = "inf" if upper is None else f"{_plain(upper)}]"
            self.error(where, f"rentang tidak sampai {expected}")
        for before, after in pairwise(bands):
            if before.upper is None or before.upper != after.lower:
                self.error(
                    where,
                    f"celah atau tumpang tindih antara {before.interval} dan "
                    f"{after.interval}",
                )
            elif before.upper_inclusive == after.lower_inclusive:
                self.error(
                    where,
                    f"batas {_plain(before.upper)} harus masuk tepat satu dari "
                    f"{before.interval} dan {after.interval}",
                )
            rising = after.skor >= before.skor
            if (
                rising != (direction == "higher_is_better")
                and after.skor != before.skor
            ):
                self.error(where, f"skor tidak sesuai arah {direction}")
        return tuple(bands)

    def parse_predikat(self, raw: Sequence[Any]) -> tuple[PredikatBand, ...]:
        bands = []
        for entry in raw:
            code = entry.get("code")
            if code not in PREDIKAT_CODES:
                self.error("predikat", f"kode predikat {code!r} tidak dikenal")
                continue
            minimum = entry.get("min")
            bands.append(
                PredikatBand(
                    minimum=None if minimum is None else Decimal(str(minimum)),
                    code=code,
                )
            )
        codes = [b.code for b in bands]
        if sorted(codes) != sorted(PREDIKAT_CODES):
            self.error("predikat", "keempat predikat harus ada tepat sekali")
            return tuple(bands)
        minimums = [b.minimum for b in bands]
        if minimums[-1] is not None or any(m is None for m in minimums[:-1]):
            self.error("predikat", "hanya predikat terakhir yang tanpa batas bawah")
        elif any(a <= b for a, b in pairwise(minimums[:-1])):  # type: ignore[operator]
            self.error("predikat", "batas bawah predikat harus menurun")
        return tuple(bands)


def _band_sort_key(band: Band) -> tuple[int, Decimal, int]:
    if band.lower is None:
        return (0, Decimal(0), 0)
    return (1, band.lower, 0 if band.lower_inclusive else 1)
