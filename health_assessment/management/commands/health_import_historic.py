import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts.models import User
from cooperatives.models import Cooperative
from health_assessment.services import AssessmentRefused, assessment_record_historic

COLUMNS = ("nik", "tahun_buku", "instrumen", "skor", "predikat")


class Command(BaseCommand):
    help = (
        "Record historic health results (older instruments such as Perdep 06/2016 "
        "or Permen 14/2009) from a CSV with the columns nik, tahun_buku, instrumen, "
        "skor, predikat — as given, without recomputation. Old predikat words "
        "(kurang sehat, tidak sehat, ...) are accepted. All rows or none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", help="username recorded as the one importing")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        user = (
            User.objects.filter(username=options["user"]).first()
            if options["user"]
            else None
        )
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                rows = list(csv.DictReader(handle, delimiter=_delimiter(path)))
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        if rows and not set(COLUMNS) <= set(rows[0]):
            raise CommandError(f"Columns needed: {', '.join(COLUMNS)}")
        errors: list[str] = []
        with transaction.atomic():  # the error below rolls every row back
            for number, row in enumerate(rows, start=2):
                try:
                    _record(row, user)
                except (AssessmentRefused, ValueError) as error:
                    errors.append(f"line {number}: {error}")
            if errors:
                raise CommandError("Nothing recorded:\n" + "\n".join(errors))
        self.stdout.write(f"Recorded {len(rows)} historic results.")


def _delimiter(path: Path) -> str:
    with path.open(encoding="utf-8-sig") as handle:
        first = handle.readline()
    return ";" if first.count(";") > first.count(",") else ","


def _record(row: dict[str, str], user: User | None) -> None:
    key = (row.get("nik") or "").strip()
    cooperative = (
        Cooperative.objects.filter(nik=key).first()
        or Cooperative.objects.filter(nomor_badan_hukum=key).first()
    )
    if cooperative is None:
        raise ValueError(f"no cooperative with NIK or badan hukum {key!r}")
    year = (row.get("tahun_buku") or "").strip()
    if not year.isdigit():
        raise ValueError(f"tahun_buku {year!r} is not a year")
    assessment_record_historic(
        cooperative=cooperative,
        tahun_buku=int(year),
        instrument=row.get("instrumen") or "",
        final_score=(row.get("skor") or "").strip(),
        label=row.get("predikat") or "",
        acting_user=user,
    )
