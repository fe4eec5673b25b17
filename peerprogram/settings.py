"""Settings for the peer-programme platform, read from the environment (django-environ).

Development defaults are safe (SQLite, console e-mail). With DEBUG off, the values a
production site cannot do without must be given, or start-up stops with a clear message.
"""

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)


def _required_in_production(name: str, default):
    """Return the env value, or the development default; fail loudly in production."""
    if name in env.ENVIRON and env.str(name).strip():
        return env.ENVIRON[name]
    if DEBUG:
        return default
    raise ImproperlyConfigured(
        f"{name} must be set when DEBUG is off. See .env.example for what each setting means."
    )


SECRET_KEY = _required_in_production("SECRET_KEY", "django-insecure-development-only-key")
ALLOWED_HOSTS = [
    host.strip()
    for host in _required_in_production("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
        ","
    )
    if host.strip()
]
# Absolute links (e-mails, QR codes, calendar feeds) are built from SITE_URL, never from the
# request's Host header.
SITE_URL = _required_in_production("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "peerprogram.apps.PeerProgramAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "auditlog",
    "peerprogram.apps.PeerProgramConfig",
    "groups.apps.GroupsConfig",
    "participants.apps.ParticipantsConfig",
    "volunteers.apps.VolunteersConfig",
    "evaluation.apps.EvaluationConfig",
    # Last: sends the hooks answered once at start, when every app's receivers are connected.
    "peerprogram.startup.apps.StartupConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "peerprogram.middleware.StaffTwoFactorMiddleware",
    # Who did it, for the audit trail (peerprogram.audit.trail); after the user is known.
    "auditlog.middleware.AuditlogMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "peerprogram.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes requires: it turns a locked-out log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "peerprogram.urls"
WSGI_APPLICATION = "peerprogram.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "peerprogram.context_processors.public_footer",
            ],
        },
    },
]

# SQLite by default. WAL lets the web process and a task worker share the file; the busy
# timeout and IMMEDIATE transactions avoid "database is locked" under concurrent writers.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "landing"

# Sign-in hardening (peerprogram.accounts.signin). django-axes checks every log-in first and counts
# failures; ModelBackend does the actual authentication.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Staff (coordinators, superusers) give a code from an authenticator app after the password.
# On by default in production; `make run` (DEBUG=true) leaves it off for the demo log-ins.
STAFF_2FA_REQUIRED = env.bool("STAFF_2FA_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = "Peer-forløb"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a staff member's app key
# After AXES_FAILURE_LIMIT failed log-ins for one username from one address, that pair is
# locked out for the cool-off; each attempt while locked out starts the cool-off again.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "peerprogram.accounts.views.locked_out"  # Danish page, HTTP 429
# The same client address as the registration rate limit (behind TRUSTED_PROXY_COUNT proxies).
AXES_CLIENT_IP_CALLABLE = "peerprogram.ratelimit.client_ip"
# Keep as little as possible: no log of successful log-ins, failures only until the cool-off
# has passed (peerprogram.tasks.purge_login_attempts), and the log-in form's values masked.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "csrfmiddlewaretoken", "next"]
AXES_VERBOSE = False

# Sessions end after SESSION_COOKIE_AGE seconds without a request, and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
FORMAT_MODULE_PATH = ["peerprogram.formats"]
TIME_ZONE = "Europe/Copenhagen"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# How many proxies in front of the app add themselves to X-Forwarded-For (0: none).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Public registration form: generous enough for a shared jobcentre connection.
REGISTRATION_LIMIT_PER_IP_HOUR = env.int("REGISTRATION_LIMIT_PER_IP_HOUR", default=40)
REGISTRATION_LIMIT_PER_COURSE_HOUR = env.int("REGISTRATION_LIMIT_PER_COURSE_HOUR", default=300)
# Ud i Livet's "Kontakt en peer" and "Bliv frivillig peer" forms: valid submissions per
# organisation an hour (each address also counts against REGISTRATION_LIMIT_PER_IP_HOUR).
PUBLIC_FORM_LIMIT_PER_ORGANISATION_HOUR = env.int(
    "PUBLIC_FORM_LIMIT_PER_ORGANISATION_HOUR", default=100
)
# "Send me a new link" (participants.status_links): requests per address, and new links per
# e-mail or phone number, an hour, so nobody can flood someone's inbox or phone.
STATUS_LINK_LIMIT_PER_IP_HOUR = env.int("STATUS_LINK_LIMIT_PER_IP_HOUR", default=10)
STATUS_LINK_LIMIT_PER_CONTACT_HOUR = env.int("STATUS_LINK_LIMIT_PER_CONTACT_HOUR", default=3)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="peerprogram@localhost")

# Security baseline. Cookies and HSTS are strict whenever DEBUG is off.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Container health checks call the app over plain HTTP from inside the stack.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # The app runs behind a TLS-terminating proxy that sets this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = [SITE_URL]

# No inline code anywhere: scripts and styles come from our own static files only.
# The admin's exception is added per request in peerprogram.middleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="peer-demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Secret links (evaluation, status, calendar, password reset) never reach a log.
    "filters": {"redact_secrets": {"()": "peerprogram.logging.RedactSecretsFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # WeasyPrint logs every rendering step at INFO; only its warnings are worth keeping
        # (WEASYPRINT_LOG_LEVEL=DEBUG while debugging a document).
        "weasyprint": {"level": env.str("WEASYPRINT_LOG_LEVEL", default="WARNING")},
        "fontTools": {"level": "WARNING"},
    },
}

# Celery. Production uses Redis (CELERY_BROKER_URL=redis://...). Development needs no Redis:
# kombu's filesystem transport works across processes, so `make run` starts a real worker and
# beat beside the web server on the SQLite default.
RUN_DIR = Path(env.str("RUN_DIR", default=str(BASE_DIR / ".run")))
CELERY_BROKER_URL = _required_in_production("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(RUN_DIR / "broker"),
        "data_folder_out": str(RUN_DIR / "broker"),
        "processed_folder": str(RUN_DIR / "broker-processed"),
        "control_folder": str(RUN_DIR / "broker-control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem://")
    else {}
)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = False  # a killed send is decided by a coordinator
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "sweep-session-reminders": {"task": "groups.tasks.sweep_session_reminders", "schedule": 300},
    "requeue-pending-messages": {"task": "peerprogram.tasks.requeue_pending", "schedule": 60},
    "evaluation-invitations": {"task": "evaluation.tasks.send_due_invitations", "schedule": 3600},
    "certificates-due": {"task": "volunteers.tasks.notify_certificates_due", "schedule": 86400},
    "understaffed-courses": {
        "task": "volunteers.tasks.notify_understaffed_courses",
        "schedule": 3600 * 6,
    },
    "mark-stuck-messages-uncertain": {
        "task": "peerprogram.tasks.mark_stuck_uncertain",
        "schedule": 120,
    },
    "accompaniments-ending": {
        "task": "volunteers.tasks.notify_accompaniments_ending",
        "schedule": 3600 * 24,
    },
    "purge-login-attempts": {"task": "peerprogram.tasks.purge_login_attempts", "schedule": 300},
    # Waitlisted people hear soon after a course's intake closes (at a session's start).
    "intake-closed": {"task": "participants.tasks.notify_intake_closed", "schedule": 900},
    # Seats held for a custody holder's confirmation that ran out go on to the waitlist.
    "custody-holds": {"task": "participants.tasks.release_custody_holds", "schedule": 900},
    # Once a day at night (Copenhagen time): anonymise what the retention policies say is due.
    "apply-retention": {
        "task": "peerprogram.tasks.apply_retention",
        "schedule": crontab(hour=3, minute=30),
    },
}

# The notification outbox (peerprogram.outbox.services).
SMS_BACKEND = env.str("SMS_BACKEND", default="") or "peerprogram.outbox.sms.ConsoleSmsBackend"
SMS_SENDER = env.str("SMS_SENDER", default="Peerforloeb")
# The real gateways (peerprogram.outbox.sms_gateways), chosen by SMS_BACKEND:
# peerprogram.outbox.sms_gateways.GatewayApiSmsBackend or ...CpsmsSmsBackend.
GATEWAYAPI_URL = env.str("GATEWAYAPI_URL", default="https://messaging.gatewayapi.com/mobile/single")
GATEWAYAPI_TOKEN = env.str("GATEWAYAPI_TOKEN", default="")
# The secret GatewayAPI signs its delivery status webhook with (a JWT, HS256).
GATEWAYAPI_WEBHOOK_SECRET = env.str("GATEWAYAPI_WEBHOOK_SECRET", default="")
CPSMS_URL = env.str("CPSMS_URL", default="https://api.cpsms.dk/v2/send")
CPSMS_USERNAME = env.str("CPSMS_USERNAME", default="")
CPSMS_API_KEY = env.str("CPSMS_API_KEY", default="")
# CPSMS signs nothing: its delivery reports carry this secret in their URL.
CPSMS_CALLBACK_SECRET = env.str("CPSMS_CALLBACK_SECRET", default="")
# Connecting may fail fast and be retried; once the message is sent we wait longer for the
# answer, because after a timeout there the row is `uncertain` (it may have gone).
SMS_CONNECT_TIMEOUT_SECONDS = env.float("SMS_CONNECT_TIMEOUT_SECONDS", default=5)
SMS_READ_TIMEOUT_SECONDS = env.float("SMS_READ_TIMEOUT_SECONDS", default=20)
SMS_REPORT_LIMIT_PER_MINUTE = env.int("SMS_REPORT_LIMIT_PER_MINUTE", default=600)
# Local hours in which reminders by SMS wait for the morning (peerprogram.outbox.quiet_hours);
# equal hours turn this off.
SMS_QUIET_HOURS_START = env.int("SMS_QUIET_HOURS_START", default=21)
SMS_QUIET_HOURS_END = env.int("SMS_QUIET_HOURS_END", default=8)
_SMS_GATEWAY_SETTINGS = {
    "peerprogram.outbox.sms_gateways.GatewayApiSmsBackend": {
        "GATEWAYAPI_TOKEN": GATEWAYAPI_TOKEN,
        "GATEWAYAPI_WEBHOOK_SECRET": GATEWAYAPI_WEBHOOK_SECRET,
    },
    "peerprogram.outbox.sms_gateways.CpsmsSmsBackend": {
        "CPSMS_USERNAME": CPSMS_USERNAME,
        "CPSMS_API_KEY": CPSMS_API_KEY,
        "CPSMS_CALLBACK_SECRET": CPSMS_CALLBACK_SECRET,
    },
}
_missing_sms_settings = [
    name for name, value in _SMS_GATEWAY_SETTINGS.get(SMS_BACKEND, {}).items() if not value
]
if _missing_sms_settings:
    raise ImproperlyConfigured(
        f"SMS_BACKEND selects {SMS_BACKEND}, which needs {', '.join(_missing_sms_settings)} "
        "(see .env.example)."
    )
# A backend that prints or keeps messages shows every secret link (password reset, status and
# evaluation links) to whoever reads the worker's output, and marks the message sent. With DEBUG
# off it is refused at start, unless ALLOW_CONSOLE_BACKENDS says so (a local trial, never a site).
ALLOW_CONSOLE_BACKENDS = env.bool("ALLOW_CONSOLE_BACKENDS", default=False)


def _refuse_in_production(name: str, backend: str, non_delivering: set[str]) -> None:
    if backend in non_delivering and not DEBUG and not ALLOW_CONSOLE_BACKENDS:
        raise ImproperlyConfigured(
            f"{name} selects {backend}, which prints or keeps messages (secret links included) "
            f"instead of sending them; it is refused when DEBUG is off. Set {name} to one that "
            "delivers (see .env.example), or ALLOW_CONSOLE_BACKENDS=true for a local trial only."
        )


_refuse_in_production(
    "EMAIL_URL",
    EMAIL_CONFIG["EMAIL_BACKEND"],
    {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
    },
)
_refuse_in_production(
    "SMS_BACKEND",
    SMS_BACKEND,
    {"peerprogram.outbox.sms.ConsoleSmsBackend", "peerprogram.outbox.sms.LocmemSmsBackend"},
)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=5)
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=60)
# A pending row this long past its due time lost its queue message and is queued again.
OUTBOX_REQUEUE_AFTER_SECONDS = env.int("OUTBOX_REQUEUE_AFTER_SECONDS", default=300)
# A row this long in "sending" was probably cut off mid-send; a coordinator decides.
OUTBOX_SENDING_TIMEOUT_SECONDS = env.int("OUTBOX_SENDING_TIMEOUT_SECONDS", default=600)
# How long a børneattest is trusted before it is renewed (practice: 1 to 3 years).
CHILD_CERTIFICATE_RENEWAL_MONTHS = env.int("CHILD_CERTIFICATE_RENEWAL_MONTHS", default=24)
# Programmes whose youngest participants are below this age need a børneattest for everyone.
CHILD_CERTIFICATE_UNDER_AGE = 15

# The audit trail (peerprogram.audit.trail): django-auditlog writing to our own entry model, which
# adds the organisation. No IP address is stored; tracked models mask values themselves.
AUDITLOG_LOGENTRY_MODEL = "peerprogram.AuditEntry"
AUDITLOG_DISABLE_REMOTE_ADDR = True
# A foreign key is stored as its number: the text of some objects is a name (a peer's).
AUDITLOG_USE_FK_STRING_REPRESENTATION = False
# django-auditlog's own entry model is swapped for ours, but its migrations would still create
# its table, whose foreign keys block flushing the database between tests on PostgreSQL.
MIGRATION_MODULES = {"auditlog": None}

PASSWORD_RESET_TIMEOUT = 2 * 60 * 60
# Password reset requests (peerprogram.accounts.password_reset) per e-mail address and per
# client, an hour.
PASSWORD_RESET_LIMIT_PER_EMAIL_HOUR = env.int("PASSWORD_RESET_LIMIT_PER_EMAIL_HOUR", default=3)
PASSWORD_RESET_LIMIT_PER_IP_HOUR = env.int("PASSWORD_RESET_LIMIT_PER_IP_HOUR", default=10)
