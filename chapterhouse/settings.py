"""One settings module, driven by environment variables.

SQLite in `var/` by default; set DATABASE_URL (postgres://...) for PostgreSQL.
"""

import os
import secrets
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
import dj_email_url
import xstatic.pkg.leaflet as xstatic_leaflet
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CHAPTERHOUSE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value and value.strip() else default


def env_pair(name: str) -> tuple[str, str] | None:
    """`HEADER,value` (e.g. SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https), or None."""
    items = env_list(name, [])
    if not items:
        return None
    if len(items) != 2:
        raise ValueError(f"{name} must be two comma-separated values, like HEADER,value")
    return items[0], items[1]


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once per install and kept in var/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "chapterhouse.core",  # issue 11: shared helpers and the reason words (no models)
    "chapterhouse.places",
    "chapterhouse.members",
    "chapterhouse.organizations",
    "chapterhouse.chapters",
    "chapterhouse.meetings",
    "chapterhouse.verdicts",  # issue 13: health warnings sent (verdicts.RiskNotice)
    "chapterhouse.goals",
    "chapterhouse.organizing",
    "chapterhouse.planner",
    "chapterhouse.decisions",
    "chapterhouse.coordination",
    "chapterhouse.helpboard",
    "chapterhouse.inbox",  # issue 13, item 7: messages on the site (docs/messages.md)
    "chapterhouse.resources",
    "chapterhouse.followups",  # issue 13, item 2: people followed, from the data
    "chapterhouse.splits",  # issue 13: splits carried out (docs/splits.md)
    "chapterhouse.dashboard",
    "chapterhouse.maps",  # issue 14, item 3: maps over an offline basemap (docs/maps.md)
    "chapterhouse.jobs",  # issue 10: the scheduler, retries, leases (docs/tasks.md)
    "chapterhouse.notices",  # issue 13: email preferences, digests, one-click unsubscribe
    "chapterhouse.convention",  # issue 14, item 4: readiness, delegates, the convention
    "axes",  # login and reset rate limits
    # Accounts (issue 9): staff's second factor (authenticator app, backup codes).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",  # Content-Security-Policy (issue 9, web)
    # Issue 9, audit log (helper privacy): django-auditlog, then our registrations and admin.
    "auditlog",
    "chapterhouse.audit",
    # Trust II (issue 10): Django's Tasks API (the django-tasks backport) and its database backend.
    "django_tasks",
    "django_tasks_db",
    "django_guid",  # issue 10: request ids in logs
    "chapterhouse.demo",  # issue 11: the demo seeders, at the top of the layers (seed_demo)
    "chapterhouse.outbox",  # every email is queued here and sent by the worker (docs/email.md)
]

MIDDLEWARE = [
    # Issue 10: a request id (X-Request-ID from the proxy, or a new one) in every log line.
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Issue 11: one context per request (organization, its clock, the actor): `request.ctx`.
    "chapterhouse.context.RequestContext",
    # Refuses oversized bodies (413) before anything reads them; needs request.user.
    "chapterhouse.core.middleware.RequestSizeLimit",
    # Accounts (issue 9): after authentication; staff without a verified code go to verify.
    "django_otp.middleware.OTPMiddleware",
    "chapterhouse.members.middleware.StaffSecondFactor",
    "chapterhouse.audit.middleware.AuditMiddleware",  # issue 9: the actor of audit entries
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "chapterhouse.urls"
WSGI_APPLICATION = "chapterhouse.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "chapterhouse" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chapterhouse.organizations.context_processors.organization",
                "chapterhouse.inbox.context_processors.unread_messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'chapterhouse.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite as a real embedded default (issue 10, docs/sqlite.md). IMMEDIATE: a transaction
    # takes the write lock when it begins, so writers queue on the busy timeout instead of
    # failing at once with "database is locked" when a read turns into a write. WAL: readers
    # never wait for the writer, nor it for them; synchronous=NORMAL is safe with WAL (a power
    # cut may lose the last commits, never corrupt the file) and saves an fsync per commit.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,  # seconds a writer waits for the lock, below gunicorn's 30 s timeout
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
# Work outside the request (issue 10): Django's Tasks API. The database backend needs no broker
# (SQLite or PostgreSQL); `chapterhouse db_worker` runs its tasks.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# Planner runs hold a lease renewed by their progress (about every second): a run whose lease
# ended was dropped by a stopped worker and is queued again, up to PLANNER_MAX_ATTEMPTS in all
# (docs/tasks.md). A queued run not taken within PLANNER_QUEUE_PATIENCE_SECONDS is enqueued
# again (a lost task) and its page stops refreshing until a worker takes it.
# At scale: Redis through RQ (pip install ".[redis]"; docs/tasks.md), with
# TASKS_BACKEND=django_tasks_rq.RQBackend; its worker is `chapterhouse rqworker --with-scheduler`.
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": os.environ.get("TASKS_REDIS_URL",
                                                   "redis://127.0.0.1:6379/0")}}
# Issue 13: days the members of a split chapter have to confirm their part (docs/splits.md).
SPLIT_CONFIRM_DAYS = env_int("SPLIT_CONFIRM_DAYS", 14)
PLANNER_LEASE_SECONDS = env_int("PLANNER_LEASE_SECONDS", 60)
PLANNER_MAX_ATTEMPTS = env_int("PLANNER_MAX_ATTEMPTS", 3)
PLANNER_QUEUE_PATIENCE_SECONDS = env_int("PLANNER_QUEUE_PATIENCE_SECONDS", 600)
# Tests only: each planner run first waits this long (heartbeating), so a test can kill its worker.
PLANNER_SLOW_SECONDS = float(os.environ.get("CHAPTERHOUSE_PLANNER_SLOW_SECONDS", "0"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.Member"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out logins before checking them
    "chapterhouse.members.backends.EmailBackend",
]
# django-axes: 5 failed logins for one email from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Our login form posts `username`; axes must count failures under the normalised email.
AXES_USERNAME_CALLABLE = "chapterhouse.members.backends.axes_username"
# Accounts (issue 9): axes counts the client address as the rate limits do (proxy-aware).
AXES_CLIENT_IP_CALLABLE = "chapterhouse.members.ratelimit.client_address"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Accounts (issue 9): the issuer shown in authenticator apps next to the staff member's email.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Chapterhouse")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "dashboard"

# The site's ten languages (the letter's "website in 10 languages").
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("pt-br", _("Brazilian Portuguese")),
    ("de", _("German")),
    ("it", _("Italian")),
    ("ar", _("Arabic")),
    ("tr", _("Turkish")),
    ("ru", _("Russian")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "chapterhouse" / "locale"]
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # collectstatic fills it in production
WHITENOISE_USE_FINDERS = True  # serve app static files without a collectstatic step
# Leaflet ships in a pinned Python package (XStatic-Leaflet): no CDN, no npm step.
STATICFILES_DIRS = [BASE_DIR / "chapterhouse" / "static", ("leaflet", xstatic_leaflet.BASE_DIR)]
# Map tiles are optional: without a tile server of your own, maps show markers and circles on a
# plain background. Example: MAP_TILE_URL=https://tiles.example.org/{z}/{x}/{y}.png
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"

# Uploads and request sizes (issue 9, web). RequestSizeLimit answers 413 to a body larger than
# these before it is read: anonymous visitors only log in, sign up or reset a password.
RESOURCE_UPLOAD_MAX_BYTES = env_int("RESOURCE_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
REQUEST_MAX_BYTES_ANONYMOUS = env_int("REQUEST_MAX_BYTES_ANONYMOUS", 64 * 1024)
REQUEST_MAX_BYTES_MEMBER = env_int("REQUEST_MAX_BYTES_MEMBER",
                                   RESOURCE_UPLOAD_MAX_BYTES + 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # form fields other than files
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000  # a roster of a few hundred checkboxes fits
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # larger files wait in a temporary file
FILE_UPLOAD_PERMISSIONS = 0o640

# Email (issue 10): EMAIL_URL (dj-email-url: smtp://user:password@host:587/?tls=True) or the
# EMAIL_HOST/PORT/... variables; SMTP unless EMAIL_BACKEND says otherwise. The console backend,
# which only prints messages, is the default only with DEBUG: a server must never drop mail.
_email_url = dj_email_url.config(env="EMAIL_URL")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or _email_url.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend" if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = _email_url.get("EMAIL_HOST") or os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email_url.get("EMAIL_PORT") or env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email_url.get("EMAIL_HOST_USER") or os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = (_email_url.get("EMAIL_HOST_PASSWORD")
                       or os.environ.get("EMAIL_HOST_PASSWORD", ""))
EMAIL_USE_TLS = _email_url.get("EMAIL_USE_TLS") or env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email_url.get("EMAIL_USE_SSL") or env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = _email_url.get("EMAIL_TIMEOUT") or env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "chapterhouse@localhost")
# Error reports (500s) go to ADMINS: "Ops <ops@example.org>,Jo <jo@example.org>", from
# SERVER_EMAIL. They are sent directly by Django's AdminEmailHandler, not through the outbox.
ADMINS = [(name, address) for name, address in getaddresses([os.environ.get("ADMINS", "")])
          if address]
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# The site's public address, for links in emails sent outside a request (reminders, notices).
# Required without DEBUG to serve the site (chapterhouse/wsgi.py refuses to start without it):
# a default would send every member links to 127.0.0.1. The offline commands (verdict, plan,
# count...) do not need it.
SITE_URL = os.environ.get("SITE_URL", "").strip() or (
    "http://127.0.0.1:8000" if DEBUG else "")
SITE_URL_MISSING = (
    "SITE_URL is not set: set it to the site's public address (SITE_URL=https://"
    "chapters.example.org, see deploy/env.example), or set DEBUG=1 on a development machine.")
# The outbox (issue 10, docs/email.md): a message is tried up to OUTBOX_MAX_ATTEMPTS times,
# waiting OUTBOX_RETRY_BASE_SECONDS, then twice as long each time (at most six hours), and is
# shown to staff as failed after the last. A worker holds the messages it sends for
# OUTBOX_LEASE_SECONDS (a dead worker's are taken again after that), OUTBOX_BATCH_SIZE at a time
# over one connection, and at most OUTBOX_RATE_PER_MINUTE leave in any minute.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 60)
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 300)
OUTBOX_BATCH_SIZE = env_int("OUTBOX_BATCH_SIZE", 100)
OUTBOX_RATE_PER_MINUTE = env_int("OUTBOX_RATE_PER_MINUTE", 600)
# Notification preferences (chapterhouse/notices): the local hour digests leave at in each
# member's zone, the weekday of the weekly one (0 = Monday), and whether an email kind without a
# category (notices/kinds.py) is an error (tests, DEBUG) or only logged (a server keeps sending).
NOTICES_DIGEST_HOUR = env_int("NOTICES_DIGEST_HOUR", 7)
NOTICES_DIGEST_WEEKDAY = env_int("NOTICES_DIGEST_WEEKDAY", 0)
NOTICES_STRICT_KINDS = env_bool("NOTICES_STRICT_KINDS", DEBUG)

# Accounts (issue 9): the cache holding rate-limit counters (members/ratelimit.py) is shared by
# every server process: Redis when REDIS_URL is set (redis://host:6379/0; configure Redis with
# maxmemory-policy noeviction or volatile-ttl so counters are not evicted), else a table in the
# database, made by members/migrations/0005_database_cache_table.py. Never the per-process
# LocMemCache, with which each process would keep its own counts.
if REDIS_URL := os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "chapterhouse_cache",
        # Django's default (300 entries, then a third culled) would let a flood of attempts
        # evict the counters.
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},  # type: ignore[dict-item]  # inferred from above
    }}
# How many reverse proxies in front of the site append the client's address to
# X-Forwarded-For (0: none, the client is REMOTE_ADDR). Rate limits and axes use it; set it
# together with SECURE_PROXY_SSL_HEADER.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# Overrides of the limits in members/ratelimit.py, by name, e.g. {"signup-network": 50}.
RATE_LIMITS: dict[str, int] = {}

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Membership by consent and data rights (issue 9, part "people"): email invitations from the
# attendance screen, what "Download my data" includes, and what `purge_stale` removes when.
CHAPTER_EMAIL_INVITATIONS_PER_DAY = int(os.environ.get("CHAPTER_EMAIL_INVITATIONS_PER_DAY", "20"))
EMAIL_INVITATION_DAYS = 30
DATA_EXPORT_MAX_FILE_BYTES = 2 * 1024 * 1024  # an upload larger than this is listed, not copied
PURGE_UNCONFIRMED_AFTER_DAYS = int(os.environ.get("PURGE_UNCONFIRMED_AFTER_DAYS", "30"))
PURGE_ANSWERED_AFTER_DAYS = int(os.environ.get("PURGE_ANSWERED_AFTER_DAYS", "90"))
# Issue 13, item 2: a new member not welcomed 48 hours after joining is reminded to the
# chapter's coordinators; still not welcomed this many hours later, to its organizer.
FOLLOWUP_ORGANIZER_AFTER_HOURS = env_int("FOLLOWUP_ORGANIZER_AFTER_HOURS", 48)
PURGE_LOGIN_FAILURES_AFTER_DAYS = int(os.environ.get("PURGE_LOGIN_FAILURES_AFTER_DAYS", "90"))
# Digests sent (and digest lines that never left) are kept this long, then purged.
PURGE_DIGESTS_AFTER_DAYS = env_int("PURGE_DIGESTS_AFTER_DAYS", 90)

# Member import (issue 10, docs/import.md): imported members are invited to choose a password
# by the scheduler, at most this many a minute (services.import_invitations_send), so a list of
# 100,000 does not flood the outbox or get the site's mail marked as spam. 0 pauses them.
IMPORT_INVITATIONS_PER_MINUTE = int(os.environ.get("IMPORT_INVITATIONS_PER_MINUTE", "30"))

# Roles (issue 9, "roles"): how many invitations one chapter may send in any 24 hours
# (founding from the planner, "invite members nearby", starting a chapter with invitations).
CHAPTER_INVITATIONS_PER_DAY = int(os.environ.get("CHAPTER_INVITATIONS_PER_DAY", "50"))

# Messages on the site (issue 13, item 7; inbox/services.py): the longest message, and what one
# member may send in any 24 hours (a message to a whole chapter counts once, and has a limit
# of its own).
INBOX_MESSAGE_MAX_CHARS = env_int("INBOX_MESSAGE_MAX_CHARS", 5000)
INBOX_MESSAGES_PER_DAY = env_int("INBOX_MESSAGES_PER_DAY", 40)
INBOX_GROUP_MESSAGES_PER_DAY = env_int("INBOX_GROUP_MESSAGES_PER_DAY", 3)

# HTTPS and cookies (issue 9, web): all off by default so `make demo` works on plain http;
# a production install sets them (deploy/env.example). SECURE_COOKIES=1 sets both cookies.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# /healthz answers over plain http too: load balancers and monitors probe it from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a TLS-terminating proxy: SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https
SECURE_PROXY_SSL_HEADER = env_pair("SECURE_PROXY_SSL_HEADER")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CROSS_ORIGIN_OPENER_POLICY = os.environ.get(
    "SECURE_CROSS_ORIGIN_OPENER_POLICY", "same-origin")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", env_bool("SECURE_COOKIES", False))
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", SESSION_COOKIE_SECURE)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE


def tile_origin(url: str) -> str:
    """The CSP source of a tile URL template: its scheme and host ({s} becomes a wildcard)."""
    scheme, _sep, rest = url.partition("://")
    host = rest.split("/", 1)[0].replace("{s}", "*")
    return f"{scheme}://{host}" if scheme and host else ""


# Content-Security-Policy (issue 9, web): scripts and styles only from our own static files (no
# inline code, no eval), nothing framed or framing, forms post only here; map tiles may come from
# MAP_TILE_URL's server. Uploads are served with their own sandboxing policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, *filter(None, [tile_origin(MAP_TILE_URL)])],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Issue 9, secret ballots (decisions): the sealed box and the count's batches.
# BALLOT_BOX_KEY: 32 random bytes in urlsafe base64 (python -c "import base64, os;
# print(base64.urlsafe_b64encode(os.urandom(32)).decode())"); empty: derived from SECRET_KEY.
# Never replace one BALLOT_BOX_KEY by another while a secret poll has ballots in its box.
BALLOT_BOX_KEY = os.environ.get("BALLOT_BOX_KEY", "")
# k: live results and the "who has voted" list of an open secret poll change only when at
# least this many new ballots are counted at once.
SECRET_BALLOT_BATCH = int(os.environ.get("SECRET_BALLOT_BATCH", "5"))

# Issue 9, audit log (helper privacy). Minimum data: no IP address in entries; only the models
# and fields listed in chapterhouse/audit/registry.py are followed (never ballots).
AUDITLOG_DISABLE_REMOTE_ADDR = True
AUDITLOG_INCLUDE_ALL_MODELS = False

# Logs (issue 10): every line to stderr (journald or the process manager keeps it) with the
# request's id, so one request's lines can be found together; 500s are logged with their
# traceback by django.request and also mailed to ADMINS (without DEBUG).
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",  # set by the proxy (deploy/), returned in responses
    "VALIDATE_GUID": True,  # an id that is not a UUID is replaced by a new one
    "RETURN_HEADER": True,
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "chapterhouse.core.log_filters.RequestId"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "line",
                   "filters": ["request_id"]},
        "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR",
                        "filters": ["require_debug_false"]},
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stderr", "mail_admins"], "level": LOG_LEVEL,
                   "propagate": False},
        "django_guid": {"level": "WARNING"},  # it notes every id it makes at INFO
        # Its start-up banner on every command, and its warnings name the email and address
        # of each failed login: a lockout is logged by members.apps (member id only) instead.
        "axes": {"level": "ERROR"},
    },
}
# /healthz answers 503 when the oldest task due has waited longer than this many seconds.
HEALTHZ_MAX_QUEUE_LAG = env_int("HEALTHZ_MAX_QUEUE_LAG", 300)
