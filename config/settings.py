"""Settings, read from the environment in one place.

Every setting is defined once. The local run needs nothing installed (SQLite, in-process tasks,
mail printed to the console); production only flips environment variables — see ``.env.example``.
Secrets may come from ``*_FILE`` variables (``DJANGO_SECRET_KEY_FILE``), as container
platforms mount them.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Literal

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.FileAwareEnv()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Demo accounts, their fixed password and second-factor keys (seed_demo, demo_totp) exist only
# in a debug run: with DJANGO_DEBUG off those commands refuse. A setting of its own, so tests can
# turn it on without turning on debug.
DEMO_DATA_ENABLED = DEBUG

_DEVELOPMENT_SECRET_KEY = "development-only-insecure-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured(
        "DJANGO_SECRET_KEY is required unless DJANGO_DEBUG is on (see .env.example)."
    )

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications -----------------------------------------------------------------------------

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "django_countries",
    "django_fsm",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_email",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    "accounts",
    "permits",
    "applications",
    "documents",
    "notifications",
    "encryption",
    "privacy",
    "core",
    "webhooks",
    "organisations",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A body too large for its page is refused here, in the visitor's language, before anything
    # reads it (config/middleware.py).
    "config.middleware.RequestBodyLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: both log out with a message, or send to the second step.
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After authentication, to know who was refused; it sees every 403 and 404 that the views
    # and the CSRF check answer.
    "privacy.middleware.DeniedAccessMiddleware",
    "config.middleware.PersonalDataNoStoreMiddleware",
    # Last, as django-axes requires: it turns a refused log-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "notifications.context_processors.unread",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock at BEGIN, so two requests changing one case
    # queue up instead of failing with "database is locked" halfway through.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not shared memory, so tests with threads lock like the real thing.
    (BASE_DIR / "var").mkdir(exist_ok=True)
    # One file per test process, so parallel test runs never share a database.
    DATABASES["default"]["TEST"] = {
        "NAME": str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3")
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The supervisor dashboard's counts (applications/dashboard.py), shared by every process and
# counted by a beat task every minute; a page counts again only when they are older than
# DASHBOARD_FIGURES_MAX_AGE seconds (the beat has stopped, or a local run has none), so a page
# never races the beat for a count that is about to come.
CACHES["figures"] = CACHES["default"]
# Each account's permissions (accounts/backends.py), shared by every process.
CACHES["permissions"] = CACHES["default"]
DASHBOARD_FIGURES_MAX_AGE = env.int("DASHBOARD_FIGURES_MAX_AGE", default=120)
# Whole public pages with holes for the visitor's token and nonce (core/page_cache.py), in each
# process's own memory: a page is a few kilobytes per language, and reading it costs less than a
# round trip to Redis. They live a minute, so a change to the catalogue shows within a minute.
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "public-pages",
    "OPTIONS": {"MAX_ENTRIES": 1000},
}
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=60)
# Request limits (django-ratelimit: password reset) count in the shared cache, so every web
# process sees the same counts.
RATELIMIT_USE_CACHE = "default"

# Uploaded documents and generated decisions are never served from a public URL: they live in
# a private storage and are streamed by views that check who is asking.
PRIVATE_MEDIA_ROOT = Path(
    env.str("DJANGO_PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private"))
)
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": env.str(
            "DJANGO_STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
STATIC_URL = "static/"
# Where `collectstatic` gathers the files that WhiteNoise serves.
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Request bodies. A body larger than its page accepts is refused with 413 before it is read
# (config/middleware.py; config.wsgi wraps the application): REQUEST_BODY_MAX_BYTES for every
# page, and for the pages that take files (UPLOAD_URLS there) that much more per document they
# take, each document at most DOCUMENT_MAX_UPLOAD_BYTES. The largest form without files is a few
# tens of kilobytes (an appeal's grounds, 20,000 characters). The reverse proxy is given the
# same limits (docs/deployment.md).
DOCUMENT_MAX_UPLOAD_BYTES = env.int("DOCUMENT_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
REQUEST_BODY_MAX_BYTES = env.int("DJANGO_REQUEST_BODY_MAX_BYTES", default=1024 * 1024)
# Django's own check of the fields besides files (400 above it): the same figure.
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
# An uploaded file is held in memory up to this size, and above it written to a temporary file
# in FILE_UPLOAD_TEMP_DIR (the system's temporary directory unless set), removed after the
# request.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = env.str("DJANGO_FILE_UPLOAD_TEMP_DIR", default="") or None
# An appeal takes at most this many attachments (its page's body limit has room for them).
APPEAL_MAX_ATTACHMENTS = 5

# --- Accounts ---------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages and time -----------------------------------------------------------------------

# Czech is the language of record; the portal speaks the languages of the largest
# third-country communities too (SPEC §7).
LANGUAGE_CODE = "cs"
LANGUAGES = [
    ("cs", _("Czech")),
    ("en", _("English")),
    ("uk", _("Ukrainian")),
    ("vi", _("Vietnamese")),
    ("ru", _("Russian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers as each language writes them: no break inside a date, no doubled full stop.
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Prague"
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "cs"
MODELTRANSLATION_LANGUAGES = ("cs", "en", "uk", "vi", "ru")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "cs")

# --- Mail -------------------------------------------------------------------------------------

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str(
    "DJANGO_DEFAULT_FROM_EMAIL", default="Residence permits <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background jobs --------------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL or "memory://"
# No result backend: every task's outcome is in the database (outbox messages, notification
# rows). With one, queueing a task waits for the backend, and with Redis down a request hung for
# 20 s reconnecting to it.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Without Redis, tasks run in-process at the point where they are queued (after commit).
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged only when it has finished, and given back when its worker dies, so a
# killed worker loses nothing; tasks are written to be safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
# Longer than the longest task's hard limit, or Redis would hand a running task to a second worker.
# A task whose worker died is handed out again once this has passed.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # A web request that queues a task never waits long for Redis: what it queues is recorded
    # in the database first, and the sweeps queue it again (core/queueing.py).
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
    # kombu's own reconnect loop when a channel is opened to publish: one quick retry, not
    # seconds of sleeping inside a request.
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
# Installations sharing one Redis keep apart by queue name (and tests by a queue of their own).
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_DEFAULT_QUEUE", default="default")
# Events for monitoring (`celery events`, Flower); the worker's heartbeat feeds /healthz.
CELERY_WORKER_SEND_TASK_EVENTS = True
# Beat only starts the periodic sweeps; each selects what is due and queues per-item tasks, and a
# notification's unique key keeps a sweep run twice from sending anything twice. Times are in
# CELERY_TIMEZONE (Europe/Prague).
CELERY_BEAT_SCHEDULE = {
    # Reminders to applicants and caseworkers: hourly in the daytime, so a failed run is made
    # good within the hour, and nobody is woken at night.
    "notification-reminders": {
        "task": "applications.tasks.sweep_reminders",
        "schedule": crontab(minute=0, hour="6-20"),
    },
    "caseworker-overdue-digest": {
        "task": "applications.tasks.sweep_overdue_digests",
        "schedule": crontab(minute=15, hour="6-9"),
    },
    # Delivery fiction, finality and missed interruption deadlines: the day has just turned.
    "daily-system-steps": {
        "task": "applications.tasks.daily_system_steps",
        "schedule": crontab(minute=30, hour=0),
    },
    "requeue-unsent-notifications": {
        "task": "notifications.tasks.requeue_unsent_notifications",
        "schedule": crontab(minute="*/10"),
    },
    # The outbox (core/outbox.py): what a change recorded but nobody delivered yet, because
    # Redis was down, a handler failed or a worker died, is queued again within a minute.
    "outbox-sweep": {"task": "core.tasks.sweep_outbox", "schedule": 60.0},
    # The supervisor dashboard's counts, so no page waits for them (applications/dashboard.py).
    "dashboard-figures": {"task": "applications.tasks.refresh_dashboard_figures", "schedule": 60.0},
}

# --- Outbox -----------------------------------------------------------------------------------

# A worker delivering an outbox message (a decision's PDF, a letter, a notice) holds it this
# long; a message still held past it belongs to a dead worker and the sweep queues it again. With
# the sweep every minute, a killed worker's PDF is queued again within lease + 60 s (3.5 minutes).
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=150)
# The delivery task's time limits stay below the lease, so two workers never hold one message.
OUTBOX_TASK_SOFT_TIME_LIMIT = OUTBOX_LEASE_SECONDS * 2 // 3
OUTBOX_TASK_TIME_LIMIT = OUTBOX_LEASE_SECONDS * 5 // 6
# Delivered messages are kept this long for inspection, then deleted by the sweep.
OUTBOX_KEEP_DELIVERED_DAYS = env.int("OUTBOX_KEEP_DELIVERED_DAYS", default=30)

# --- Notifications by e-mail ------------------------------------------------------------------

# Transient failures (a 4xx answer, a dropped connection, a timeout) are retried after about 1,
# 2, 4 … minutes, at most an hour apart; permanent ones (5xx) are recorded and not retried.
NOTIFICATION_EMAIL_MAX_RETRIES = env.int("NOTIFICATION_EMAIL_MAX_RETRIES", default=8)
NOTIFICATION_EMAIL_RETRY_BACKOFF = env.int("NOTIFICATION_EMAIL_RETRY_BACKOFF", default=60)
NOTIFICATION_EMAIL_RETRY_BACKOFF_MAX = env.int("NOTIFICATION_EMAIL_RETRY_BACKOFF_MAX", default=3600)
NOTIFICATION_SMTP_TIMEOUT = env.int("NOTIFICATION_SMTP_TIMEOUT", default=20)
# A worker sending an e-mail claims it first; a claim older than this is a dead worker's and may
# be taken over. Keep it above the send task's hard time limit (45 s).
NOTIFICATION_CLAIM_TIMEOUT = env.int("NOTIFICATION_CLAIM_TIMEOUT", default=300)

# --- Health -----------------------------------------------------------------------------------

# /healthz reports the worker down when no worker has beaten for this many seconds.
HEALTH_WORKER_MAX_AGE = env.int("HEALTH_WORKER_MAX_AGE", default=60)

# --- Presentation -----------------------------------------------------------------------------

# Forms are drawn with our own pack for DS gov.cz (templates/gov_cz/): no maintained pack for it
# exists; it follows the structure of crispy-bootstrap5's and the design system's HTML classes.
CRISPY_ALLOWED_TEMPLATE_PACKS = "gov_cz"
CRISPY_TEMPLATE_PACK = "gov_cz"

# --- Security: encryption at rest ------------------------------------------------------------

# Personal data in the database and every stored file are encrypted with AES-256-GCM
# (``encryption``). Keys are "<key id>:<base64 of 32 random bytes>", comma-separated: the first
# encrypts, the others only decrypt, while ``rotate_encryption_keys`` re-encrypts (README,
# "Encryption keys"). The blind index key makes travel-document numbers searchable. Both are
# separate from DJANGO_SECRET_KEY; the fixed keys below serve the local run only.
_DEVELOPMENT_FIELD_ENCRYPTION_KEYS = ["dev1:kTo+iAprezzJgFrJ4oMx11XdfhO2QGdL49D/5Wu3gnI="]
_DEVELOPMENT_BLIND_INDEX_KEY = "vZ853Nokzh+9r+D16GLgYSDeFdQd+ydwhgJy3cW43+g="
FIELD_ENCRYPTION_KEYS = env.list(
    "FIELD_ENCRYPTION_KEYS", default=_DEVELOPMENT_FIELD_ENCRYPTION_KEYS if DEBUG else []
)
BLIND_INDEX_KEY = env.str("BLIND_INDEX_KEY", default=_DEVELOPMENT_BLIND_INDEX_KEY if DEBUG else "")
if not FIELD_ENCRYPTION_KEYS or not BLIND_INDEX_KEY:
    raise environ.ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS and BLIND_INDEX_KEY are required unless DJANGO_DEBUG is on "
        "(see .env.example)."
    )
STORAGES["default"]["BACKEND"] = "encryption.storage.EncryptedFileSystemStorage"

# --- Security: authentication, second factor, lockout, sessions --------------------------------

# The lock-out check comes first: a locked-out account is refused before its password is tried.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",
    # Django's ModelBackend, with each account's permissions kept in the shared cache.
    "accounts.backends.PermissionsKeptBackend",
]

# Second factor (django-otp). Staff always need one; applicants may turn one on in their
# profile. Each wrong code doubles the wait before the next is checked (1, 2, 4 … seconds).
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Residence permits")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_EMAIL_THROTTLE_FACTOR = 1
OTP_EMAIL_TOKEN_VALIDITY = 10 * 60
# A new code by e-mail at most once a minute.
OTP_EMAIL_COOLDOWN_DURATION = 60
# The admin lists devices but never shows their secret keys.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Lock-out and throttling of log-ins (docs/security.md). No failure ever locks an account for
# everyone: then anyone could keep its owner out by failing on purpose.
#
# By client address (django-axes): after AXES_FAILURE_LIMIT failed log-ins from one address,
# whatever accounts they were for, further log-ins from it are refused until the cool-off has
# passed (each attempt during it starts the cool-off again). That covers the account and address
# pair too: an attacker's failures lock the attacker's address, never the owner's. Forged
# X-Forwarded-For headers do not make one client into many (accounts/network.py).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
# A successful log-in clears only that account's failures from that address (accounts.receivers):
# axes' own reset would clear the client address's failures too, for whatever accounts they
# were, letting one client try passwords on many accounts between log-ins to its own.
AXES_RESET_ON_SUCCESS = False
# By account, across addresses (accounts/lockout.py), against guessing from many addresses: once
# an e-mail address has had LOGIN_ACCOUNT_FAILURE_LIMIT failed password checks since its last
# successful log-in or new password (forgotten after LOGIN_ACCOUNT_FAILURE_DAYS without one),
# its password is checked only from browsers that have logged in to it before (a cookie kept for
# LOGIN_RECOGNISED_BROWSER_DAYS); a new password set by the e-mailed link lifts it. 100 is NIST
# SP 800-63B's ceiling (§5.2.2) for consecutive failures on one account.
LOGIN_ACCOUNT_FAILURE_LIMIT = env.int("LOGIN_ACCOUNT_FAILURE_LIMIT", default=100)
LOGIN_ACCOUNT_FAILURE_PERIOD = timedelta(days=env.int("LOGIN_ACCOUNT_FAILURE_DAYS", default=30))
LOGIN_RECOGNISED_BROWSER_AGE = env.int("LOGIN_RECOGNISED_BROWSER_DAYS", default=365) * 24 * 3600
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.network.login_username"
AXES_CLIENT_IP_CALLABLE = "accounts.network.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
# No e-mail addresses or client addresses in the logs, and no second record of every log-in
# (the privacy app keeps the audit of log-in events).
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True
# How many reverse proxies in front of Django append to X-Forwarded-For (accounts/network.py).
# 0: the client address is REMOTE_ADDR and X-Forwarded-For is ignored. Behind one nginx that
# sets `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for`, set 1.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)

# Sessions end after SESSION_IDLE_TIMEOUT seconds without a request, and SESSION_ABSOLUTE_TIMEOUT
# seconds after the log-in however busy (accounts/middleware.py). The cookie lasts until the
# browser closes, and the stored session no longer than the absolute timeout.
SESSION_IDLE_TIMEOUT = env.int("DJANGO_SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("DJANGO_SESSION_ABSOLUTE_TIMEOUT", default=12 * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# With Redis, every signed-in request reads its session from the cache, not from a query; the
# database keeps every session too (written through), so sessions survive a Redis restart and
# an account's sessions can still be found and ended (accounts.services.user_sessions_end).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# --- Security: headers, CSP, production mode, uploads -------------------------------------------

# Production (DJANGO_DEBUG off) speaks HTTPS only. Behind a proxy that terminates TLS, set
# DJANGO_SECURE_PROXY_SSL_HEADER=1 so Django trusts its X-Forwarded-Proto, and only when the
# proxy always sets that header itself: otherwise a client could claim HTTPS over plain HTTP.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The load balancer probes /healthz over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading binds the whole domain to HTTPS in browsers for good; the operator may opt out
# (check --deploy then says the site cannot be preloaded).
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)

# Content Security Policy (django-csp): scripts only from our own static files or carrying the
# request's nonce (``{{ request.csp_nonce }}``), never inline handlers; styles only from our own
# files; no plugins, no <base>, no framing. Static files are served from the same origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": env.list("DJANGO_CSP_REPORT_URI", default=[]) or None,
    }
}
# The admin's translation tabs (modeltranslation) load jQuery UI from a CDN by default, which
# the policy refuses; a copy is served with our static files.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

# Uploads (documents/inspection.py): images are refused above this many pixels before they are
# decoded (an A4 page scanned at 600 dpi has about 35 million).
DOCUMENT_MAX_IMAGE_PIXELS = env.int("DOCUMENT_MAX_IMAGE_PIXELS", default=50_000_000)
# Optional virus scanning by clamd (documents/scanning.py): tcp://host:3310 or
# unix:///run/clamav/clamd.ctl. When set, an upload is accepted only once clamd has passed it.
CLAMD_URL = env.str("CLAMD_URL", default="")
CLAMD_TIMEOUT = env.float("CLAMD_TIMEOUT", default=30.0)

# --- Privacy: access audit, data export, retention ----------------------------------------------

# The access log takes the client's address as the lock-out does (TRUSTED_PROXY_COUNT above).

# Closed and withdrawn cases are anonymised this many days after they closed (docs/privacy.md).
# Ten years by default: earlier proceedings are evidence of continuous residence for permanent
# residence and citizenship, which count five years of it [002][003]; the office's filing and
# shredding plan (spisový a skartační plán) sets the binding figure, so it is configurable.
RETENTION_CLOSED_CASES_DAYS = env.int("RETENTION_CLOSED_CASES_DAYS", default=3650)
# Access-log events are kept as long as the cases they are about; 0 keeps them forever.
ACCESS_LOG_RETENTION_DAYS = env.int("ACCESS_LOG_RETENTION_DAYS", default=3650)
# A data export is built in memory up to this size, then in a temporary file.
DATA_EXPORT_SPOOL_BYTES = env.int("DATA_EXPORT_SPOOL_BYTES", default=10 * 1024 * 1024)
# Error reports (the admins' e-mails) leave out POST data, local variables, cookies and the
# query string, whichever view failed (privacy/reporting.py).
DEFAULT_EXCEPTION_REPORTER_FILTER = "privacy.reporting.PersonalDataReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "privacy.reporting.PersonalDataExceptionReporter"
# At night, after the daily system steps: anonymise what became due.
CELERY_BEAT_SCHEDULE["privacy-retention"] = {
    "task": "applications.tasks.sweep_retention",
    "schedule": crontab(minute=30, hour=2),
}

# --- Security ---------------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
# Lax, not Strict: a link from our e-mails must arrive signed in; cross-site POSTs carry no
# session either way.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_SAMESITE = "Lax"
# Django's page, marking the request so the access log counts CSRF failures apart.
CSRF_FAILURE_VIEW = "privacy.views.csrf_failure"
# The language cookie follows the same switch. No script reads it (the language switcher is a
# form that the server answers with the cookie), so scripts may not; Lax like the session, so
# a link from our e-mails arrives in the person's language.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE: Literal["Lax"] = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Logging: no personal data in application logs --------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # E-mail addresses are scrubbed from every line and traceback before it is written.
    "filters": {"scrub_personal_data": {"()": "privacy.log_filters.ScrubPersonalData"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["scrub_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own handlers (a second console, and error e-mails with request details) are
        # replaced: its records go to the root's scrubbed console like every other.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # The PDF renderer and its font subsetter narrate every step at INFO.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}


# --- The API (/api/v1/, docs/api.md) --------------------------------------------------------------

# Tokens only (personal access tokens and OAuth 2.0): no session authentication, so a browser's
# cookies never act through the API and it needs no CSRF token.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.PersonalAccessTokenAuthentication",
        "api.authentication.OAuthAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.PerAddressThrottle",
        "api.throttling.PerTokenThrottle",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.NewestFirst",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    # OPTIONS answers 405: the schema describes every operation; DRF's metadata would describe
    # some views' serializers and fail on others.
    "DEFAULT_METADATA_CLASS": None,
    "UNAUTHENTICATED_USER": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Residence permits API",
    "DESCRIPTION": (
        "The permit catalogue, and a person's applications for those acting with their "
        "consent. Errors are RFC 9457 problem details; changes send the application's ETag in "
        "If-Match; creating POSTs take an Idempotency-Key. See docs/api.md."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "RemedyEnum": "applications.constants.Remedy",
        "WebhookEventEnum": "webhooks.models.Event",
        "CurrentStatusEnum": "permits.advisor.CurrentStatus",
        "ApplicationStatusEnum": "applications.constants.Status",
    },
    # What a receiver is sent, one entry per case event (OpenAPI 3.1 ``webhooks``).
    "WEBHOOKS": [
        f"api.webhooks.CASE_{event}"
        for event in (
            "FILED",
            "INTERRUPTED",
            "RESUMED",
            "DECIDED",
            "DELIVERED",
            "APPEALED",
            "CLOSED",
            "WITHDRAWN",
        )
    ],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.problem_responses",
        "api.schema.creation_links",
    ],
}
# django-oauth-toolkit: authorization code with PKCE only (S256), short-lived access tokens,
# refresh tokens rotated on use and revocable from the profile. Applications are registered by
# the office in the admin; there is no self-service registration.
OAUTH2_PROVIDER = {
    "PKCE_REQUIRED": True,
    "ALLOWED_GRANT_TYPES": ["authorization-code", "refresh-token"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("OAUTH_ACCESS_TOKEN_SECONDS", default=10 * 60),
    "REFRESH_TOKEN_EXPIRE_SECONDS": env.int("OAUTH_REFRESH_TOKEN_SECONDS", default=30 * 24 * 3600),
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ROTATE_REFRESH_TOKEN": True,
    # A refresh token used twice revokes its whole family (RFC 9700 § 4.14.2).
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "SCOPES_BACKEND_CLASS": "api.oauth.ScopesBackend",
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"] if DEBUG else ["https"],
    # Every behaviour the OAuth 2.0 Security BCP (RFC 9700) asks for, which the toolkit makes
    # the default only in its next major version.
    **{
        f"COMPLIANT_BCP_RFC9700_{rule}": True
        for rule in (
            "ACCESS_TOKEN_TRANSPORT",
            "AUTHZ_RESPONSE_ISS",
            "IMPLICIT_GRANT",
            "PASSWORD_GRANT",
            "PKCE_METHOD",
            "PKCE_REQUIRED",
            "REDIRECT_URI_MATCHING",
            "REDIRECT_URI_SCHEME",
            "REFRESH_TOKEN",
            "TOKEN_STORAGE",
        )
    },
}
# Request limits (api/throttling.py), counted in the shared cache.
API_RATES = {
    "address": env.str("API_RATE_PER_ADDRESS", default="300/min"),
    "token": env.str("API_RATE_PER_TOKEN", default="120/min"),
}
API_RATE_CACHE = "default"
# Webhooks (webhooks/delivery.py): how long a receiver may take, and after how many failures in
# a row a subscription stops.
WEBHOOK_TIMEOUT_SECONDS = env.int("WEBHOOK_TIMEOUT_SECONDS", default=10)
WEBHOOK_MAX_FAILURES = env.int("WEBHOOK_MAX_FAILURES", default=10)
# Receivers are reached over https; plain http only for a local run.
WEBHOOK_ALLOW_HTTP = DEBUG
# Receivers must be on the internet, not on this machine or a private network (SSRF;
# webhooks/addresses.py), except in a local run. From the environment as well, so that the
# Celery workers of a test with receivers on 127.0.0.1 allow them too.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=DEBUG)
# A personal access token lives at most this many days.
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)
# Idempotency keys are remembered this long.
API_IDEMPOTENCY_HOURS = env.int("API_IDEMPOTENCY_HOURS", default=24)
