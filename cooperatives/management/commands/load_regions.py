from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cooperatives.regions import read_region_file
from cooperatives.services import regions_load


class Command(BaseCommand):
    help = (
        "Load a kabupaten/kota with its kecamatan and kelurahan (Kemendagri and BPS "
        "codes) from a JSON region file; see cooperatives/regions/balikpapan.json for "
        "the format. Safe to run again: units are matched on their Kemendagri code."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="region file (JSON)")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            data = read_region_file(path)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        kabkota, n_kecamatan, n_kelurahan = regions_load(acting_user=None, data=data)
        self.stdout.write(
            self.style.SUCCESS(
                f"{kabkota}: {n_kecamatan} kecamatan, {n_kelurahan} kelurahan loaded."
            )
        )
