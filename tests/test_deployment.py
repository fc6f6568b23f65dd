"""No Docker engine runs here, so the deployment files are checked by reading them."""

import re
import subprocess
import sys
from pathlib import Path

import yaml

BASE_DIR = Path(__file__).resolve().parent.parent
APP_SERVICES = ("migrate", "web", "worker", "beat")


def compose():
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def settings_variables():
    source = (BASE_DIR / "koperasi_registry" / "settings.py").read_text()
    return set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', source))


def env_example_variables():
    text = (BASE_DIR / ".env.example").read_text()
    return set(re.findall(r"^([A-Z_]+)=", text, flags=re.M))


def test_every_setting_is_documented_in_env_example():
    assert settings_variables() - env_example_variables() == set()
    assert settings_variables() >= {
        "DJANGO_SECRET_KEY",
        "DATABASE_URL",
        "CELERY_BROKER_URL",
    }


def test_compose_runs_every_service_with_health_checks():
    services = compose()["services"]
    assert set(services) >= {"postgres", "redis", "web", "worker", "beat"}
    for name in ("postgres", "redis", "web", "worker", "beat"):
        assert "healthcheck" in services[name], name
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert services["worker"]["command"][:4] == [
        "celery",
        "-A",
        "koperasi_registry",
        "worker",
    ]
    assert services["beat"]["command"][:4] == [
        "celery",
        "-A",
        "koperasi_registry",
        "beat",
    ]


def test_app_services_get_the_settings_they_need():
    services = compose()["services"]
    for name in APP_SERVICES:
        service = services[name]
        env = service["environment"]
        assert env["DJANGO_ENV"] == "production"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["CELERY_BROKER_URL"] == "redis://redis:6379/0"
        assert service["env_file"] == ".env", "secret key and hosts come from .env"
        mounts = {
            volume.split(":")[1]: volume.split(":")[0] for volume in service["volumes"]
        }
        assert mounts.get(env["KOPERASI_VAR_DIR"]) == "media"
        assert env["DJANGO_MEDIA_ROOT"].startswith(env["KOPERASI_VAR_DIR"])
    required_from_env_file = {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"}
    assert required_from_env_file <= env_example_variables()


def test_data_lives_in_named_volumes():
    data = compose()
    assert set(data["volumes"]) >= {"pgdata", "media"}
    assert "pgdata:/var/lib/postgresql/data" in data["services"]["postgres"]["volumes"]


def test_the_image_installs_from_requirements_txt_only():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    installs = re.findall(r"pip install[^\n]*", dockerfile)
    assert installs == ["pip install --no-cache-dir -r requirements.txt"]


def test_the_image_has_what_weasyprint_draws_pdfs_with():
    # The slim image had gettext alone: every PDF (letters, health results,
    # rekap) would have failed in the container, for want of Pango.
    dockerfile = (BASE_DIR / "Dockerfile").read_text().replace("\\\n", " ")
    command = re.search(r"apt-get install ([^\n&]*)", dockerfile)
    assert command is not None
    packages = set(command.group(1).split())
    assert packages >= {
        "gettext",
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz-subset0",
        "fonts-dejavu-core",  # the font every PDF's style names
    }, packages
    pdf_styles = " ".join(
        path.read_text() for path in (BASE_DIR / "templates").rglob("*pdf*.html")
    )
    assert '"DejaVu Sans"' in pdf_styles


PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_ALLOWED_HOSTS": "koperasi.example.go.id",
    "DJANGO_SECRET_KEY": "uji-" + "x7Kp2mQ9vR4tZ8wL1nB6cF3hJ5dS0gY" * 2,
    "KOPERASI_SITE_URL": "https://koperasi.example.go.id",
}
PRODUCTION_SERVICES = {
    "DATABASE_URL": "postgres://koperasi@127.0.0.1:5432/koperasi",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def manage(*args, **env):
    """Run manage.py in a clean environment holding only ``env``."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "KOPERASI_VAR_DIR": str(BASE_DIR / "var"), **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deployment_checks():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        **PRODUCTION_SERVICES,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION, **PRODUCTION_SERVICES}
    del env["DJANGO_SECRET_KEY"]
    result = manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_production_on_sqlite_or_the_filesystem_broker_is_warned_about():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode != 0
    assert "koperasi.W001" in result.stderr and "koperasi.W002" in result.stderr


def test_a_site_address_links_cannot_reach_is_warned_about():
    # Left at its development default, every link in an e-mail, a WhatsApp
    # message and a letter's QR code pointed at the reader's own computer.
    env = {**PRODUCTION, **PRODUCTION_SERVICES}
    del env["KOPERASI_SITE_URL"]
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert "koperasi.W004" in result.stderr
    for loopback in ("https://127.0.0.2", "https://localhost.", "https://[::1]"):
        env["KOPERASI_SITE_URL"] = loopback
        result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
        assert "koperasi.W004" in result.stderr, loopback
    env["KOPERASI_SITE_URL"] = "https://koperasi.elsewhere.go.id"
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert "koperasi.W005" in result.stderr and "W004" not in result.stderr


def test_a_malformed_kabkota_code_stops_the_app():
    result = manage("check", KOPERASI_KABKOTA_CODE="6471")
    assert result.returncode != 0
    assert "koperasi.E001" in result.stderr


def test_the_zero_setup_defaults_start_without_a_warning(tmp_path):
    """What `make run` shows first: the checks runserver runs, on SQLite."""
    result = manage(
        "check",
        "--database",
        "default",
        "--fail-level",
        "WARNING",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr


def test_the_web_server_and_the_worker_write_to_sqlite_without_locking_out(
    tmp_path, django_db_blocker
):
    """On the zero-setup database a transaction that read, then writes while another
    writer holds the lock, waits for it instead of failing with "database is
    locked" (which left an e-mail queued forever when `make run`'s worker sent it)."""
    import threading

    from django.db.backends.sqlite3.base import DatabaseWrapper

    from koperasi_registry.settings import SQLITE_OPTIONS

    def connect():
        settings = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(tmp_path / "db.sqlite3"),
            "OPTIONS": dict(SQLITE_OPTIONS),
            "ATOMIC_REQUESTS": False,
            "AUTOCOMMIT": True,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "TIME_ZONE": None,
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "TEST": {},
        }
        return DatabaseWrapper(settings, alias="lock-test")

    # A database of its own, not the test database.
    with django_db_blocker.unblock():
        web = connect()
        with web.cursor() as cursor:
            cursor.execute("CREATE TABLE sent (id INTEGER PRIMARY KEY, what TEXT)")
        failures: list[Exception] = []
        started = threading.Event()

        def worker():
            other = connect()
            try:
                started.set()
                # As transaction.atomic() begins one on SQLite.
                other.set_autocommit(
                    False, force_begin_transaction_with_broken_autocommit=True
                )
                with other.cursor() as cursor:
                    cursor.execute("SELECT COUNT(*) FROM sent")
                    cursor.execute("INSERT INTO sent (what) VALUES ('worker')")
                other.commit()
            except Exception as exc:
                failures.append(exc)
            finally:
                other.close()

        web.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        with web.cursor() as cursor:
            cursor.execute("INSERT INTO sent (what) VALUES ('web')")
            thread = threading.Thread(target=worker)
            thread.start()
            started.wait(5)
            thread.join(0.5)  # the worker waits for the web server's lock
            web.commit()
        web.set_autocommit(True)
        thread.join(10)
        assert not failures, failures
        with web.cursor() as cursor:
            cursor.execute("SELECT what FROM sent ORDER BY id")
            assert [row[0] for row in cursor.fetchall()] == ["web", "worker"]
        web.close()


def test_env_example_can_be_exported_by_a_shell():
    # "set -a; . ./.env" stopped at line 62 (a value with spaces), and none of the
    # office or security settings after it were set.
    script = (
        "set -a; . ./.env.example; set +a; "
        'printf "%s|%s" "$KOPERASI_OFFICE_NAME" "$DJANGO_SECURE_HSTS_PRELOAD"'
    )
    shell = subprocess.run(
        ["sh", "-ec", script], cwd=BASE_DIR, capture_output=True, text=True
    )
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout == (
        "Dinas Koperasi UMKM dan Perindustrian Kota Balikpapan|true"
    ), shell.stdout


def test_the_app_is_published_to_its_proxy_only_and_logs_are_rotated():
    services = compose()["services"]
    # Reached directly on every interface, a client wrote its own
    # X-Forwarded-For past the login lockout.
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]
    for name, service in services.items():
        assert service["logging"]["options"]["max-size"], name
    # Beat's schedule file is named by the dbm Python has.
    assert "celerybeat-schedule*" in " ".join(services["beat"]["healthcheck"]["test"])


def test_stored_files_are_not_readable_by_every_account(settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("rat/2026/neraca.pdf", ContentFile(b"%PDF-1.4"))
    path = Path(storage.path(name))
    assert path.stat().st_mode & 0o777 == 0o640
    assert path.parent.stat().st_mode & 0o777 == 0o750
