from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import QueryDict

from accounts.models import User
from cooperatives.filters import CooperativeFilter
from cooperatives.models import Cooperative
from cooperatives.selectors import cooperative_filter
from reports.models import FileFormat
from reports.services.runs import registry_export_write


class Command(BaseCommand):
    help = (
        "Write the registry export (the file the list page's export makes) to a "
        ".xlsx or .csv file. Filters as on the list page: --filter jenis=konsumen "
        "--filter kecamatan=3. Without --user, every cooperative."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=FileFormat.values, required=True)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument(
            "--filter", action="append", default=[], metavar="NAME=VALUE"
        )
        parser.add_argument("--user", help="export what this user may see")

    def handle(self, *args: Any, **options: Any) -> None:
        params = QueryDict(mutable=True)
        for item in options["filter"]:
            name, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"Filter '{item}' harus berbentuk NAMA=NILAI.")
            params.appendlist(name.strip(), value.strip())
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Pengguna '{options['user']}' tidak ada.")
            search = cooperative_filter(user=user, params=params)
        else:
            queryset = Cooperative.objects.with_region()
            search = CooperativeFilter(params, queryset=queryset)
        if not search.is_valid():
            raise CommandError(f"Filter tidak valid: {search.errors.as_text()}")
        count = registry_export_write(
            cooperatives=search.qs,
            file_format=options["format"],
            path=options["output"],
        )
        self.stdout.write(
            self.style.SUCCESS(f"{count} koperasi ditulis ke {options['output']}.")
        )
