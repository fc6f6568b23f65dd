"""An acceptance against a colleague's figures for the same cooperative and year,
saved meanwhile (another request, its own transaction). The acceptance holds the
cooperative's row; the figures form inserted the year's row first and then waited
for that lock, while the acceptance waited for the row: PostgreSQL broke the
deadlock by failing one of them (a 500)."""

from django.test import TransactionTestCase

from accounts.models import Role
from cooperatives.models import CooperativeFigures, Officer, Position
from cooperatives.services import figures_record
from lib.testing import missing_services, require_or_skip
from reports import services
from reports.models import RatStatus
from tests.meanwhile import Meanwhile
from tests.personas import make_cooperative, make_user

from .rat_testing import YEAR, submitted_report


class FiguresMeanwhileTests(TransactionTestCase):
    # Flushed afterwards without its post-migrate rows being made again: the
    # transactional tests after it reload the database as the migrations left it.
    serialized_rollback = True

    def test_figures_saved_during_an_acceptance_wait_for_it(self):
        # Two connections, one waiting for the other's lock: SQLite's in-memory
        # test database has one writer at a time and cannot show it.
        require_or_skip(missing_services())
        staff = make_user("staf-angka", Role.STAFF)
        officer = make_user("pengurus-angka", Role.OFFICER)
        cooperative = make_cooperative("Koperasi Angka Bersamaan")
        Officer.objects.create(
            cooperative=cooperative, user=officer, name="Ani", position=Position.KETUA
        )
        report = submitted_report(officer, cooperative)
        CooperativeFigures.objects.filter(cooperative=cooperative).delete()
        colleague = Meanwhile(
            lambda: figures_record(
                acting_user=staff,
                cooperative=cooperative,
                tahun_buku=YEAR,
                values={"aset": 777_000_000},
            ),
            # Once the acceptance holds the report and its cooperative.
            after=lambda sql: "FOR UPDATE" in sql and "reports_ratreport" in sql,
            wait=1.5,
        )
        with colleague:
            services.rat_report_accept(acting_user=staff, report=report)
        assert isinstance(colleague.result, CooperativeFigures)
        report.refresh_from_db()
        self.assertEqual(report.status, RatStatus.DITERIMA)
        # The colleague's figure, saved after the acceptance, is the last word.
        figures = CooperativeFigures.objects.get(
            cooperative=cooperative, tahun_buku=YEAR
        )
        self.assertEqual(figures.aset, 777_000_000)
