import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from reports.rekap.definitions import DEFINITIONS
from reports.rekap.files import snapshot_csv, snapshot_pdf, snapshot_xlsx
from reports.rekap.services import rekap_freeze_execute, rekap_freeze_request

WRITERS = {".xlsx": snapshot_xlsx, ".pdf": snapshot_pdf, ".csv": snapshot_csv}


class Command(BaseCommand):
    help = (
        "rekap make R1 --year 2025 --output FILE.xlsx|.pdf|.csv: freeze a new "
        "snapshot version (the same service as the Rekap page, run here without "
        "Celery) and write it to FILE."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        make = sub.add_parser("make", help="freeze a snapshot and write a file")
        make.add_argument("code", choices=sorted(DEFINITIONS))
        make.add_argument("--year", type=int, required=True, help="tahun buku")
        make.add_argument("--as-of", type=datetime.date.fromisoformat)
        make.add_argument("--scope", default=settings.OFFICE_KABKOTA_CODE)
        make.add_argument("--output", type=Path, required=True)
        make.add_argument("--user", help="recorded as the maker")

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"]
        writer = WRITERS.get(output.suffix.lower())
        if writer is None:
            raise CommandError("--output harus berakhiran .xlsx, .pdf atau .csv.")
        if writer is snapshot_csv and not DEFINITIONS[options["code"]].has_csv:
            raise CommandError(f"{options['code']} tidak tersedia sebagai CSV.")
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Pengguna '{options['user']}' tidak ada.")
        year: int = options["year"]
        try:
            job = rekap_freeze_request(
                acting_user=user,
                code=options["code"],
                tahun_buku=year,
                as_of=options["as_of"] or datetime.date(year, 12, 31),
                scope_code=options["scope"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        snapshot = rekap_freeze_execute(job_id=job.pk).snapshot
        assert snapshot is not None
        output.write_bytes(writer(snapshot))
        self.stdout.write(
            self.style.SUCCESS(
                f"{snapshot} dibekukan (hash {snapshot.content_hash[:12]}…), "
                f"ditulis ke {output}."
            )
        )
