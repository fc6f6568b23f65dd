"""``campaign open YEAR [--window N] [--cutoff DATE]`` and ``campaign summary YEAR
[--json]``: the same services as the campaign pages."""

import datetime
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from campaigns.models import Campaign, CampaignStatus, ProposedClass
from campaigns.selectors import campaign_summary
from campaigns.services import (
    campaign_create,
    campaign_open_execute,
    campaign_open_request,
)


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "Open a year's pemutakhiran, or print its counts."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        opening = sub.add_parser("open", help="create and open the campaign of YEAR")
        opening.add_argument("year", type=int)
        opening.add_argument("--window", type=int, default=3)
        opening.add_argument("--cutoff", type=_date, default=None)
        summary = sub.add_parser("summary", help="counts of the campaign of YEAR")
        summary.add_argument("year", type=int)
        summary.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "open":
            self._open(options["year"], options["window"], options["cutoff"])
        else:
            self._summary(options["year"], options["as_json"])

    def _open(self, year: int, window: int, cutoff: datetime.date | None) -> None:
        campaign = Campaign.objects.filter(year=year).first()
        try:
            if campaign is None:
                campaign = campaign_create(
                    acting_user=None, year=year, window_years=window, cutoff_date=cutoff
                )
            if campaign.status != CampaignStatus.DRAF:
                self.stdout.write(f"Campaign {year} is already open.")
                return
            job = campaign_open_request(acting_user=None, campaign=campaign)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        job = campaign_open_execute(job_id=job.pk)
        self.stdout.write(
            self.style.SUCCESS(
                f"Campaign {year} open: {job.done} cooperatives in {job.seconds} s."
            )
        )

    def _summary(self, year: int, as_json: bool) -> None:
        campaign = Campaign.objects.filter(year=year).first()
        if campaign is None:
            raise CommandError(f"No campaign for {year}.")
        data = campaign_summary(campaign=campaign).as_json()
        data = {"year": year, "status": campaign.status, **data}
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Pemutakhiran {year} ({campaign.get_status_display()})")
        for klass in ProposedClass:
            self.stdout.write(f"  {klass.value}: {data['by_class'][klass.value]}")
        self.stdout.write(f"  total: {data['total']}, verified: {data['verified']}")
