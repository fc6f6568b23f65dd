from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cooperatives.models import Kecamatan, Kelurahan
from cooperatives.regions import read_region_file
from cooperatives.regions.geo import read_boundary_file
from cooperatives.services import region_boundaries_load, regions_load


class Command(BaseCommand):
    help = (
        "Load a kabupaten/kota with its kecamatan and kelurahan (Kemendagri and BPS "
        "codes) from a JSON region file; see cooperatives/regions/balikpapan.json for "
        "the format. Safe to run again: units are matched on their Kemendagri code. "
        "--boundaries adds polygons (GeoJSON keyed by 'kode'; see "
        "cooperatives/regions/boundaries/README.md) for the thematic maps."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="region file (JSON)")
        parser.add_argument(
            "--boundaries",
            type=Path,
            action="append",
            default=[],
            help="boundary file (GeoJSON); may be given more than once",
        )

    def handle(
        self, *args: Any, path: Path, boundaries: list[Path], **options: Any
    ) -> None:
        try:
            data = read_region_file(path)
            polygon_files = [read_boundary_file(p) for p in boundaries]
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        kabkota, n_kecamatan, n_kelurahan = regions_load(acting_user=None, data=data)
        self.stdout.write(
            self.style.SUCCESS(
                f"{kabkota}: {n_kecamatan} kecamatan, {n_kelurahan} kelurahan loaded."
            )
        )
        # The public search keeps the region names in each web process for five
        # minutes (public.selectors.regions); say so rather than leave a renamed
        # kelurahan to look unloaded.
        self.stdout.write(
            "Halaman publik memakai nama wilayah yang baru paling lambat 5 menit "
            "lagi (atau segera setelah aplikasi web dimulai ulang)."
        )
        for boundary_path, polygons in zip(boundaries, polygon_files, strict=True):
            result = region_boundaries_load(acting_user=None, polygons=polygons)
            self.stdout.write(
                f"{boundary_path.name}: {result.stored} batas wilayah disimpan, "
                f"{len(result.skipped_codes)} kode di luar registri dilewati."
            )
        self._list_missing(kabkota.kemendagri_code)

    def _list_missing(self, kabkota_code: str) -> None:
        """A region without a polygon still works (shown in the map's table only);
        name them so the operator knows which file to look for."""
        for model in (Kecamatan, Kelurahan):
            missing = model.objects.filter(
                kemendagri_code__startswith=f"{kabkota_code}.", boundary__isnull=True
            ).order_by("kemendagri_code")
            for region in missing:
                self.stdout.write(
                    self.style.WARNING(
                        f"Tanpa batas wilayah: {model._meta.verbose_name} "
                        f"{region.kemendagri_code} {region.name}"
                    )
                )
