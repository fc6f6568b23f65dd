"""Settings for Koperasi Registry: one module, driven by the environment.

Every variable read here is listed with its meaning in ``.env.example``. Development
defaults need no server at all (SQLite and a filesystem Celery broker); production
(``DJANGO_ENV=production``) requires a secret key and allowed hosts and turns on the
HTTPS hardening that ``manage.py check --deploy`` asks for.
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from lib.env import (
    env_bool,
    env_choice,
    env_int,
    env_int_list,
    env_list,
    env_mapping,
    env_path,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DJANGO_ENV = env_choice("DJANGO_ENV", "development", ("development", "production"))
PRODUCTION = DJANGO_ENV == "production"
DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be false when DJANGO_ENV=production.")

if PRODUCTION:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY")
else:
    SECRET_KEY = env_str(
        "DJANGO_SECRET_KEY", "development-only-key-never-use-in-production-0123456789"
    )
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is required in production.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "koperasi_registry.errors.csrf_failure"

# Runtime state of a zero-setup install (SQLite file, broker folders, uploads).
VAR_DIR = env_path("KOPERASI_VAR_DIR", BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "axes",
    "lib",
    "koperasi_registry",
    "accounts",
    "audit",
    "notifications",
    "cooperatives",
    "health_assessment",
    "reports",
    "campaigns",
    "public",
    "front",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "koperasi_registry.middleware.ClientAddressMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "koperasi_registry.middleware.ChosenLanguageMiddleware",
    # Before anything reads the body: an oversized upload is refused from its length.
    "koperasi_registry.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "koperasi_registry.middleware.TypedInCapitalsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the two above: a form sent once its session ended is told so.
    "koperasi_registry.middleware.ExpiredSessionMiddleware",
    "koperasi_registry.middleware.ActionPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "koperasi_registry.urls"
WSGI_APPLICATION = "koperasi_registry.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "koperasi_registry.context_processors.office",
            ],
        },
    },
    {
        # Messages (e-mail and WhatsApp, templates/*/email/*.txt) are plain text:
        # rendered here, unescaped, a cooperative's "Maju & Jaya" reads so, not
        # "Maju &amp; Jaya" (notifications.texts.message_render).
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# SQLite, the zero-setup default: the web server and the worker write to one
# file. A write transaction takes its lock when it begins (not half-way, where
# SQLite gives up at once with "database is locked"), waits up to 60 s for
# another, and readers do not block the writer (WAL).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    # Long enough to wait out a large import's one transaction (an 80,000-row
    # apply took about 30 s here) instead of failing a login with "database is
    # locked"; PostgreSQL, in production, has no such wait.
    "timeout": 60,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
    # The name index carries the columns a search result shows (Cooperative.Meta)
    # on PostgreSQL; SQLite, the zero-setup default, has no such indexes and makes
    # it a plain one, which is all it needs. Its warning would greet every
    # `make run`.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": (
            "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
        )
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login hardening (django-axes): lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
# How many reverse proxies stand in front of the app; lib/clientip.py reads the
# client's address from X-Forwarded-For accordingly (0: the header is ignored).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "lib.clientip.client_ip"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
# The language chosen in the switch is kept a year, not until the browser closes.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env_path("DJANGO_STATIC_ROOT", VAR_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded and generated files are private: there is deliberately no MEDIA_URL route;
# every download goes through a view that applies the access rules.
MEDIA_ROOT = env_path("DJANGO_MEDIA_ROOT", VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production whitenoise serves straight from the app folders (no
# collectstatic), with DEBUG off too (``make run``).
WHITENOISE_AUTOREFRESH = not PRODUCTION
WHITENOISE_USE_FINDERS = not PRODUCTION
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Uploaded and generated files (RAT documents, ODS files with NIKs, exports) are
# readable by the app's own user and group only, not by every account on the
# server (Django's default follows the umask: 0644).
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# One cache shared by every gunicorn worker in production (Redis): public pages,
# headline figures and the concern rate limit. Without CACHE_URL each process keeps
# its own in memory, which is right for one development server.
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            # Django's Redis backend; Redis down is a cache that misses, not a
            # server error (lib/cache.py). A Redis that hangs is given up on soon.
            "BACKEND": "lib.cache.ForgivingRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Inside each process, for the small reference data every public search reads (the
# kecamatan and their kelurahan): a round trip to Redis was a tenth of a search page.
CACHES["process"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "process",
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# A mail server that does not answer must not hold a worker for long.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Dinas Koperasi <noreply@localhost>")

# WhatsApp Business Cloud API (Meta's Graph API). With a token and the sending
# number's id, messages to officers who prefer WhatsApp are sent as pre-approved
# templates (docs/whatsapp.md lists their texts); without them each message is kept
# for staff to send from their own WhatsApp ("Kirim lewat WhatsApp").
WHATSAPP_API_URL = env_str(
    "WHATSAPP_API_URL", "https://graph.facebook.com/v23.0"
).rstrip("/")
WHATSAPP_TOKEN = env_str("WHATSAPP_TOKEN", "")
WHATSAPP_PHONE_NUMBER_ID = env_str("WHATSAPP_PHONE_NUMBER_ID", "")
WHATSAPP_TEMPLATE_LANGUAGE = env_str("WHATSAPP_TEMPLATE_LANGUAGE", "id")
# The approved template's name for each message, where it differs from the
# message's own name: "rat_receipt=kop_tanda_terima,rat_reminder=kop_pengingat".
WHATSAPP_TEMPLATES = env_mapping("WHATSAPP_TEMPLATES", {})
WHATSAPP_TIMEOUT = env_int("WHATSAPP_TIMEOUT", 15, minimum=1)
# The delivery reports (webhook, /pesan/whatsapp/webhook/): the app's secret, which
# signs each report (X-Hub-Signature-256), and the token Meta's subscription
# handshake repeats. Without the secret the webhook answers 404 and a message
# reads "Terkirim" once the API took it, whether or not it reached the phone.
WHATSAPP_APP_SECRET = env_str("WHATSAPP_APP_SECRET", "")
WHATSAPP_VERIFY_TOKEN = env_str("WHATSAPP_VERIFY_TOKEN", "")

# Celery. The default broker keeps messages in files under var/, so that a real worker
# process runs next to the web server without Redis; production points at Redis.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_FILESYSTEM_DIR = VAR_DIR / "celery"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for _folder in ("queue", "processed", "control"):
        (CELERY_FILESYSTEM_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # kombu's exchange table; its default is control/ in the working directory.
        "control_folder": str(CELERY_FILESYSTEM_DIR / "control"),
        "data_folder_in": str(CELERY_FILESYSTEM_DIR / "queue"),
        "data_folder_out": str(CELERY_FILESYSTEM_DIR / "queue"),
        "processed_folder": str(CELERY_FILESYSTEM_DIR / "processed"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A task whose worker died without acknowledging it is handed out again after
    # this many seconds (longer than any task runs; they are safe to re-run). Redis
    # is swept for such tasks every few seconds, not Kombu's default 100.
    _VISIBILITY = env_int("CELERY_VISIBILITY_TIMEOUT", 900, minimum=2)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": _VISIBILITY,
        "unacked_restore_interval": max(1, min(10, _VISIBILITY // 3)),
        "unacked_restore_throttle": 1,
        # A Redis that takes the connection and never answers (frozen, or a
        # network path gone) is given up on: a request handing it a job had
        # waited for ever, and the job it had committed stayed "Sedang
        # diterapkan" (lib.background, unsent).
        "socket_connect_timeout": 3,
        "socket_timeout": 5,
    }
# Handing a task to the broker is tried twice, then given up (lib.background).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
# Job state lives in database rows (ReportRun, ...), never in a result backend.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
# A worker killed mid-task leaves the message unacknowledged, so another worker
# picks the job up again; tasks are written to be safely re-run.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "purge-old-report-files": {
        "task": "reports.tasks.purge_old_report_runs",
        "schedule": 6 * 60 * 60,
    },
    "rat-reminders": {
        "task": "reports.tasks.send_rat_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "resend-stalled-notifications": {
        "task": "notifications.resend_stalled",
        "schedule": 5 * 60,
    },
    # Accepted RAT reports become campaign evidence; objection periods that ended
    # turn items into class F.
    "campaign-refresh": {
        "task": "campaigns.tasks.refresh_running_campaign",
        "schedule": 15 * 60,
    },
}
REPORT_RETENTION_DAYS = env_int("REPORT_RETENTION_DAYS", 7, minimum=1)

# ODS import: the largest upload accepted, how far its content may inflate
# (decompression bombs), and the most rows read.
IMPORT_MAX_UPLOAD_MB = env_int("IMPORT_MAX_UPLOAD_MB", 50, minimum=1)
IMPORT_MAX_UNCOMPRESSED_MB = env_int("IMPORT_MAX_UNCOMPRESSED_MB", 1024, minimum=1)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 500_000, minimum=1)
# The file is parsed in a child process with this address-space ceiling and time
# limit: a file that asks for more ends its job with a message, not the worker.
IMPORT_READ_MEMORY_MB = env_int("IMPORT_READ_MEMORY_MB", 4096, minimum=256)
IMPORT_READ_TIMEOUT_SECONDS = env_int("IMPORT_READ_TIMEOUT_SECONDS", 600, minimum=5)

# RAT reports. Default deadlines (a tahun buku can override them with a RatPeriod
# row): the meeting within RAT_MEETING_MONTHS after the year ends, the report within
# RAT_REPORT_DAYS after the meeting. Reminders go out this many days before the
# report's deadline (0: on the day; negative: after it).
RAT_MEETING_MONTHS = env_int("RAT_MEETING_MONTHS", 6, minimum=1)
RAT_REPORT_DAYS = env_int("RAT_REPORT_DAYS", 30, minimum=1)
RAT_REMINDER_OFFSETS = env_int_list("RAT_REMINDER_OFFSETS", [30, 7, 0, -7])
RAT_ATTACHMENT_MAX_MB = env_int("RAT_ATTACHMENT_MAX_MB", 10, minimum=1)
# No request body may be larger than the largest upload plus 1 MB of form around it
# (koperasi_registry.middleware.RequestSizeLimitMiddleware; set the proxy's limit too).
REQUEST_BODY_MAX_BYTES = (
    (max(IMPORT_MAX_UPLOAD_MB, RAT_ATTACHMENT_MAX_MB) + 1) * 1024 * 1024
)
# Officer invitations: how long the one-time link works.
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7, minimum=1)
# The one-time confirmation link printed on a pemutakhiran letter.
CAMPAIGN_LINK_VALID_DAYS = env_int("CAMPAIGN_LINK_VALID_DAYS", 60, minimum=1)
# How many days before today a letter may be dated (signed on paper a few days
# before it was entered). A letter dated further back ran the whole ladder in
# minutes, its intervals met on paper, and printed answer dates already past.
CAMPAIGN_LETTER_DAYS_BACK = env_int("CAMPAIGN_LETTER_DAYS_BACK", 7, minimum=0)
# A batch of letters is split into this many parts that workers render side by
# side (about the number of cores given to Celery).
CAMPAIGN_LETTER_PARTS = env_int("CAMPAIGN_LETTER_PARTS", 2, minimum=1)
# Where the app is reached: links in e-mails sent by background tasks.
SITE_URL = env_str("KOPERASI_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The office whose registry this is: shown in the header and on letters.
OFFICE_NAME = env_str(
    "KOPERASI_OFFICE_NAME", "Dinas Koperasi UMKM dan Perindustrian Kota Balikpapan"
)
OFFICE_SHORT_NAME = env_str("KOPERASI_OFFICE_SHORT_NAME", "DKUMKMP Balikpapan")
# The government the office belongs to: the first line of a letterhead (kop surat)
# above the office's name. Empty: no such line.
OFFICE_GOVERNMENT = env_str("KOPERASI_OFFICE_GOVERNMENT", "Pemerintah Kota Balikpapan")
OFFICE_KABKOTA_CODE = env_str("KOPERASI_KABKOTA_CODE", "64.71")
# Where letters are dated from: "Balikpapan, 8 Desember 2026" above the signature.
OFFICE_CITY = env_str("KOPERASI_OFFICE_CITY", "Balikpapan")
# Shown on the public site: where members can reach the Dinas.
OFFICE_ADDRESS = env_str(
    "KOPERASI_OFFICE_ADDRESS", "Jl. Jenderal Sudirman No. 1, Balikpapan"
)
OFFICE_PHONE = env_str("KOPERASI_OFFICE_PHONE", "(0542) 000000")
OFFICE_EMAIL = env_str("KOPERASI_OFFICE_EMAIL", "dkumkmp@balikpapan.go.id")
# Status letters (surat keterangan status): the office's code in the letter number
# (0001/SKS/<code>/2026), who signs, and how many days a letter holds.
STATUS_LETTER_CODE = env_str("STATUS_LETTER_CODE", "DKUMKMP")
STATUS_LETTER_SIGNER = env_str(
    "STATUS_LETTER_SIGNER",
    "Kepala Dinas Koperasi UMKM dan Perindustrian Kota Balikpapan",
)
# The signer's name and NIP, printed under the signature space of every document;
# empty: a dotted line to write them in by hand.
STATUS_LETTER_SIGNER_NAME = env_str("STATUS_LETTER_SIGNER_NAME", "")
STATUS_LETTER_SIGNER_NIP = env_str("STATUS_LETTER_SIGNER_NIP", "")
STATUS_LETTER_VALID_DAYS = env_int("STATUS_LETTER_VALID_DAYS", 90, minimum=1)

# The public site. Besides the fields always public (public/fields.py), the Dinas may
# publish some more, by name: alamat, telepon, email, sektor_usaha, anggota, aset,
# volume_usaha. A name not in that list stops the app at start.
PUBLIC_EXTRA_FIELDS = env_list("PUBLIC_EXTRA_FIELDS", [])
# Concerns ("laporkan") accepted from one address per hour.
PUBLIC_CONCERNS_PER_HOUR = env_int("PUBLIC_CONCERNS_PER_HOUR", 5, minimum=1)
# Password-reset mails per hour: to one e-mail address, and requests from one client.
PASSWORD_RESET_PER_HOUR_ADDRESS = env_int(
    "PASSWORD_RESET_PER_HOUR_ADDRESS", 3, minimum=1
)
PASSWORD_RESET_PER_HOUR_CLIENT = env_int(
    "PASSWORD_RESET_PER_HOUR_CLIENT", 10, minimum=1
)
# Failed logins per hour from one client, whatever names it tries (django-axes locks
# one name from one client after AXES_FAILURE_LIMIT).
LOGIN_FAILURES_PER_HOUR_CLIENT = env_int(
    "LOGIN_FAILURES_PER_HOUR_CLIENT", 30, minimum=1
)
# How long a public page is kept whole (shared cache) and by browsers, in seconds;
# 0 renders every request.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 300, minimum=0)
# The city's headline figures (counts over every cooperative) are recomputed at most
# this often.
PUBLIC_STATISTICS_SECONDS = env_int("PUBLIC_STATISTICS_SECONDS", 300, minimum=1)
# The licence the public register and statistics are published under, named on the
# open-data page and in the API's schema (the office's choice; empty: none named).
OPEN_DATA_LICENCE = env_str("OPEN_DATA_LICENCE", "CC BY 4.0")
OPEN_DATA_LICENCE_URL = env_str(
    "OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/deed.id"
)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=60)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    if env_bool("DJANGO_BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
