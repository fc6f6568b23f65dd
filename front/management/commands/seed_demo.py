from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import user_create
from campaigns.demo import load_demo_campaign
from cooperatives import demo, services
from cooperatives.models import (
    Cooperative,
    CooperativeStatus,
    Kecamatan,
    Kelompok,
    Officer,
    Position,
    RecordSource,
)
from health_assessment.demo import load_demo_assessments
from lib.phone import normalize_phone
from notifications.models import IncomingMessage
from reports.demo import load_demo_rat_reports
from reports.models import RatStatus

DEMO_PASSWORD = "koperasi-demo-2026"
DEMO_USERS = [
    # username, role, first name, last name
    ("admin", Role.ADMIN, "Admin", "Dinas"),
    ("staf", Role.STAFF, "Staf", "Dinas"),
    ("pengurus", Role.OFFICER, "Pengurus", "Koperasi A"),
    ("pengurus2", Role.OFFICER, "Pengurus", "Koperasi B"),
]


class Command(BaseCommand):
    help = (
        "Load the deterministic demo Balikpapan (587 cooperatives, 440 aktif) and one "
        "login per role. Idempotent: what already exists is left as it is."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the registry already holds any cooperative",
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        if settings.DJANGO_ENV == "production":
            # The demo logins share a password printed in the README.
            raise CommandError(
                "seed_demo refuses to run with DJANGO_ENV=production: it creates "
                "logins with the published demo password."
            )
        if if_empty and Cooperative.objects.exists():
            self.stdout.write("The registry is not empty: demo data not loaded.")
            return
        with transaction.atomic():
            created = self._cooperatives()
            users = self._users()
            staff = User.objects.get(username="staf")
            reports = load_demo_rat_reports(
                staff=staff,
                officers={
                    u.username: u for u in User.objects.filter(role=Role.OFFICER)
                },
            )
            assessments = load_demo_assessments(staff=staff)
            load_demo_campaign(staff=staff)
            self._incoming_messages()
        total = Cooperative.objects.filter(source=RecordSource.DEMO).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {created} cooperatives added, {total} in all; "
                f"{reports} RAT reports added; {assessments} health results added."
            )
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, role in users:
            self.stdout.write(f"  {username:<10} {role.label}")

    def _cooperatives(self) -> int:
        kelurahan = {
            kec.name: list(kec.kelurahan_set.order_by("kemendagri_code"))
            for kec in Kecamatan.objects.prefetch_related("kelurahan_set")
        }
        kelompok = {k.code: k for k in Kelompok.objects.all()}
        existing = set(
            Cooperative.objects.filter(source=RecordSource.DEMO).values_list(
                "name", flat=True
            )
        )
        created = 0
        for spec in demo.generate():
            if spec.name in existing:
                continue
            options = kelurahan[spec.kecamatan]
            cooperative = services.cooperative_register(
                acting_user=None,
                status=spec.status,
                source=RecordSource.DEMO,
                fields={
                    "nik": spec.nik,
                    "name": spec.name,
                    "nomor_badan_hukum": spec.nomor_badan_hukum,
                    "tanggal_badan_hukum": spec.tanggal_badan_hukum,
                    "address": spec.address,
                    "kelurahan": options[spec.kelurahan_index % len(options)],
                    "jenis": spec.jenis,
                    "pola": spec.pola,
                    "bentuk": spec.bentuk,
                    "kelompok": kelompok.get(spec.kelompok_code or ""),
                    "sektor_usaha": spec.sektor_usaha,
                    "phone": spec.phone,
                    "last_rat_date": spec.last_rat_date,
                    "nik_expiry_date": spec.nik_expiry_date,
                },
            )
            for year, values in spec.figures.items():
                services.figures_record(
                    acting_user=None,
                    cooperative=cooperative,
                    tahun_buku=year,
                    values=values,
                    source=RecordSource.DEMO,
                )
            for officer in spec.officers:
                services.officer_add(
                    acting_user=None,
                    cooperative=cooperative,
                    fields={
                        "name": officer.name,
                        "position": officer.position,
                        "phone": officer.phone,
                    },
                )
            created += 1
        return created

    def _users(self) -> list[tuple[str, Role]]:
        first_two = list(
            Cooperative.objects.filter(
                source=RecordSource.DEMO, status=CooperativeStatus.AKTIF
            ).order_by("nik")[:2]
        )
        officer_of = dict(zip(("pengurus", "pengurus2"), first_two, strict=False))
        result = []
        for username, role, first, last in DEMO_USERS:
            result.append((username, role))
            if User.objects.filter(username=username).exists():
                continue
            user = user_create(
                acting_user=None,
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.invalid",
            )
            cooperative = officer_of.get(username)
            if cooperative is not None:
                # The demo login is the ketua: the generated one steps down, or
                # the cooperative's page warned of two active ketua.
                for ketua in cooperative.officers.filter(
                    is_active=True, position=Position.KETUA
                ):
                    services.officer_deactivate(
                        acting_user=None, officer=ketua, end_date=timezone.localdate()
                    )
                services.officer_add(
                    acting_user=None,
                    cooperative=cooperative,
                    fields={
                        "name": str(user),
                        "position": Position.KETUA,
                        "user": user,
                        "email": user.email,
                    },
                )
        return result

    def _incoming_messages(self) -> None:
        """Two messages sent to the office's WhatsApp number, for the inbox: an
        officer's answer and a stranger's question."""
        # An officer of a cooperative whose RAT report waits for review: what the
        # message speaks of is there to be checked.
        officer = (
            Officer.objects.filter(
                is_active=True,
                cooperative__source=RecordSource.DEMO,
                cooperative__rat_reports__status=RatStatus.DIAJUKAN,
            )
            .exclude(phone="")
            .order_by("cooperative__nik", "pk")
            .first()
        )
        now = timezone.now()
        if officer is not None:
            IncomingMessage.objects.get_or_create(
                provider_id="wamid.DEMO-1",
                defaults=dict(
                    sender=normalize_phone(officer.phone) or officer.phone,
                    sender_name=officer.name,
                    kind="text",
                    text="Selamat siang. Laporan RAT kami sudah kami ajukan lewat "
                    "aplikasi, mohon diperiksa. Terima kasih.",
                    received_at=now - timedelta(hours=3),
                ),
            )
        IncomingMessage.objects.get_or_create(
            provider_id="wamid.DEMO-2",
            defaults=dict(
                sender="+6285298765401",
                sender_name="Rahmat",
                kind="text",
                text="Apakah koperasi kami masih terdaftar? Kami belum RAT sejak 2020.",
                received_at=now - timedelta(minutes=40),
            ),
        )
