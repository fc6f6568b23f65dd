"""500 ladder letters in one batch (target: under 2 minutes, peak memory under
500 MB): each letter rendered to its own PDF with WeasyPrint, numbered, with a QR
code and a one-time confirmation link, plus the combined PDF.

Uses a database of its own (``koperasi_bench_letters``, or
``BENCH_LETTERS_DATABASE_URL``) holding 600 cooperatives, 500 of them without a RAT
in the window (class C). Prints a Markdown table row.
"""

import os
import resource
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.registry_list import ensure_database  # noqa: E402

LETTERS = int(os.environ.get("BENCH_LETTERS", "500"))
DATABASE_URL = os.environ.get(
    "BENCH_LETTERS_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/koperasi_bench_letters",
)


def main() -> None:
    ensure_database(DATABASE_URL, fresh=True)
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koperasi_registry.settings")
    os.environ.setdefault("DJANGO_MEDIA_ROOT", "/tmp/koperasi-bench-letters-media")
    import django
    from django.conf import settings

    django.setup()
    # Mail is rendered and handed to a backend, but not sent anywhere.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from campaigns.services import (
        campaign_create,
        campaign_open_execute,
        campaign_open_request,
    )
    from campaigns.services.letters import letter_job_execute, letter_job_request
    from cooperatives.models import Cooperative, Jenis, Kelurahan, Officer, Position

    kelurahan = list(Kelurahan.objects.all())
    coops = Cooperative.objects.bulk_create(
        Cooperative(
            name=f"Koperasi Surat {n}",
            address=f"Jl. Surat No. {n}",
            kelurahan=kelurahan[n % len(kelurahan)],
            jenis=Jenis.KONSUMEN,
            last_rat_year=2015 if n < LETTERS else 2025,
        )
        for n in range(LETTERS + 100)
    )
    Officer.objects.bulk_create(
        Officer(
            cooperative=c,
            name=f"Ketua {c.pk}",
            position=Position.KETUA,
            email=f"ketua{c.pk}@bench.invalid",
        )
        for c in coops
    )
    campaign = campaign_create(acting_user=None, year=2025)
    campaign_open_execute(
        job_id=campaign_open_request(acting_user=None, campaign=campaign).pk
    )
    campaign.refresh_from_db()
    from accounts.models import Role, User

    staff = User.objects.create_user(username="bench-staf", role=Role.STAFF)
    started = time.perf_counter()
    job = letter_job_request(
        acting_user=staff,
        campaign=campaign,
        kind="pemberitahuan",
        issued_on=timezone.localdate(),
        filters={},
    )
    job = letter_job_execute(job_id=job.pk)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    size = job.file.size // 1024
    print("| letters | seconds | peak RSS (MB) | combined PDF (KB) |")
    print("|---:|---:|---:|---:|")
    print(f"| {job.done} | {elapsed:.1f} | {peak} | {size:,} |")


if __name__ == "__main__":
    main()
