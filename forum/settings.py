"""Foro Abierto settings.

Everything that differs between a laptop and production comes from the environment:

- ``DATABASE_URL``: PostgreSQL in production (``postgres://user:pass@host:5432/db``, psycopg 3);
  unset means the embedded SQLite file ``db.sqlite3``.
- ``REDIS_URL``: the channel layer (channels-redis); unset means the in-memory layer, which only
  works inside one process.
- ``SECRET_KEY``, ``ALLOWED_HOSTS`` (comma-separated), ``DEBUG`` (off unless "1"/"true"),
  ``CSRF_TRUSTED_ORIGINS`` (comma-separated), ``EMAIL_URL``-style settings below.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
_INSECURE_DEV_KEY = "dev-insecure-key-only-for-make-run-and-tests"

# Management commands that sign nothing (they read a CSV and write a file, or print help): they
# run without a SECRET_KEY, which Django then refuses to hand to anything that would sign.
KEYLESS_COMMANDS = frozenset({"dedupe", "help", "version"})


def _manage_command() -> str | None:
    """``dedupe`` for ``manage.py dedupe …``; ``help`` for ``manage.py`` alone or ``--help``;
    None when this is not a management command (daphne, pytest, mypy)."""
    if Path(sys.argv[0]).name not in {"manage.py", "django-admin"}:
        return None
    if len(sys.argv) < 2 or {"-h", "--help"} & set(sys.argv[2:]):
        return "help"
    return sys.argv[1]


SECRET_KEY = os.environ.get(
    "SECRET_KEY", _INSECURE_DEV_KEY if DEBUG or "PYTEST_VERSION" in os.environ else ""
)
if not SECRET_KEY and env_bool("FORO_ALLOW_INSECURE_KEY"):
    SECRET_KEY = _INSECURE_DEV_KEY
if not SECRET_KEY and _manage_command() not in KEYLESS_COMMANDS:
    # Refuse to start production with a guessable key rather than silently using one, and say
    # how to run the same thing on a laptop.
    from django.core.exceptions import ImproperlyConfigured

    _command = _manage_command()
    if _command:
        _how = (
            f"`manage.py {_command}` needs it. On your own computer run it as "
            f"`DEBUG=1 .venv/bin/python manage.py {_command} …` (a development key and the "
            "local db.sqlite3); in production export SECRET_KEY (a long random string) with the "
            "rest of the environment in docs/deploy.md."
        )
    else:
        _how = (
            "Export SECRET_KEY (a long random string; docs/deploy.md lists the whole "
            "environment) or use `make run` for a local demo."
        )
    raise ImproperlyConfigured(f"SECRET_KEY is not set. {_how}")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # intcomma: «1.820» in Spanish, «1,820» in English
    # No models or files: its system checks for the SERVESTATIC_* settings (and, under DEBUG,
    # no "checks are disabled" warning at start-up).
    "servestatic",
    # django-ninja: serves the API docs page's Swagger UI from its own static files instead of
    # a CDN (the page works offline, under the Content-Security-Policy below).
    "ninja",
    "channels",
    "forum.core",
    "forum.participation",
    "forum.notifications",
    "forum.moderation",
    "forum.convocation",
    "forum.threads",
    "forum.dialogues",
    "forum.bots",
    # The top layer: the demo may import any app listed before it; none of them imports it.
    "forum.demo",
    # Beside the demo at the top: results and open data, read-only (docs/insights.md).
    "forum.insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # ServeStatic (the async fork of WhiteNoise): a sync-only middleware here would make Django
    # run every request's whole middleware chain in one thread, one request at a time. Wrapped so
    # that a missing static file is a 404 under DEBUG too (forum/core/staticfiles.py).
    "forum.core.staticfiles.StaticFilesMiddleware",
    # Content-Security-Policy and Permissions-Policy (forum/core/security.py).
    "forum.core.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "forum.urls"
ASGI_APPLICATION = "forum.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "forum" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "forum.notifications.context_processors.unread",
                "forum.core.context_processors.site",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # No persistent connections: under ASGI (daphne) each request runs in its own context, so a
    # kept-alive connection is never reused and every request leaks one until PostgreSQL refuses
    # clients ("too many clients already" after ~100 requests). Django's docs say the same.
    # Instead, PostgreSQL connections come from psycopg's pool (Django >= 5.1): "closing" one at
    # the end of a request returns it to the pool, so a request does not pay a new connection
    # (a fork on the server) and a process never holds more than DATABASE_POOL_MAX_SIZE.
    # CONN_HEALTH_CHECKS: with the pool, Django then gives psycopg's pool
    # ``check=ConnectionPool.check_connection``, so a pooled connection is tested before it is
    # handed out; after a PostgreSQL restart the dead ones are replaced instead of each failing
    # a request (issue 14: a dozen 500s and /salud/ 503 for ~70 s; docs/reliability.md).
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=0, conn_health_checks=True)
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
        "DATABASE_POOL", default=True
    ):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "1")),
            "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "20")),
            "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
        }
    DATABASES["default"].setdefault("TEST", {})
    # Tests get their own database next to the configured one.
    DATABASES["default"]["TEST"]["NAME"] = os.environ.get(
        "TEST_DATABASE_NAME", f"test_{DATABASES['default']['NAME']}_foro"
    )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # Several processes (daphne + worker) share the file: wait for locks, don't fail.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }

REDIS_URL = os.environ.get("REDIS_URL", "")
# Names in Redis (channel-layer channels and groups, cache keys) start with this, so that two
# sites sharing one Redis (staging and production) never hear each other. Pub/sub channels are
# not per database number: a prefix is the only separation. The test suite's parallel workers
# (pytest-xdist) share the CI's Redis the same way, one prefix each.
REDIS_PREFIX = os.environ.get("REDIS_PREFIX", "") + os.environ.get("PYTEST_XDIST_WORKER", "")
CHANNEL_LAYERS: dict[str, dict[str, Any]]
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": f"asgi{REDIS_PREFIX}"},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's checks, with help texts in «tú» (forum/core/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "forum.core.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "forum.core.passwords.MinimumLengthValidator"},
    {"NAME": "forum.core.passwords.CommonPasswordValidator"},
    {"NAME": "forum.core.passwords.NumericPasswordValidator"},
]

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Español (Chile)")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Chile's thousands separator («1.820») on Spanish pages: forum/formats/es/formats.py.
FORMAT_MODULE_PATH = ["forum.formats"]
TIME_ZONE = "America/Santiago"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "forum" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "servestatic.storage.CompressedStaticFilesStorage"},
}
SERVESTATIC_USE_FINDERS = True
# Files a browser asks for at the site's root (/favicon.ico), served by ServeStatic as they are.
SERVESTATIC_ROOT = BASE_DIR / "forum" / "public"

LOGIN_URL = "login"
# Each role's own page (participation.views.landing): council inbox, moderation queue, Mis ideas.
LOGIN_REDIRECT_URL = "participation:landing"
LOGOUT_REDIRECT_URL = "participation:home"

# Django's cache: shared by every process through Redis when REDIS_URL is set (failed-login
# counts must be, and the home page's cached figures then are too); one process's memory
# otherwise. Failed logins (forum/participation/accounts.py): past this many per username (any
# case) or per client address within the window, attempts are refused until the window ends.
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            # RedisCache that falls back to this process's memory, with a logged warning,
            # while Redis is unreachable (forum/core/cache.py, docs/reliability.md).
            "BACKEND": "forum.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_PREFIX,
            # A Redis that stops answering fails a cache call in seconds instead of holding
            # the request (the login pages read the failure counts) forever.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The results pages' aggregates (forum.insights) in a cache of their own: a few hundred entries
# (seven per region, council and dialogue page) that the default local-memory cache's
# 300-entry cull would throw out at random, sending the next visitor into seconds of
# recomputation. With Redis, the same server under its own prefix.
CACHES["insights"] = {
    **CACHES["default"],
    "TIMEOUT": None,
    "OPTIONS": {**CACHES["default"].get("OPTIONS", {}), "MAX_ENTRIES": 20_000}
    if not REDIS_URL
    else CACHES["default"]["OPTIONS"],
}
if REDIS_URL:
    CACHES["insights"]["KEY_PREFIX"] = f"{REDIS_PREFIX}insights"
else:
    CACHES["insights"]["LOCATION"] = "insights"
# Results pages (forum.insights): under a stream of writes, cached figures younger than this are
# served while they are recomputed at most this often (docs/insights.md).
INSIGHTS_MIN_REFRESH_SECONDS = int(os.environ.get("INSIGHTS_MIN_REFRESH_SECONDS", "30"))
LOGIN_FAILURES_PER_USERNAME = int(os.environ.get("LOGIN_FAILURES_PER_USERNAME", "5"))
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "20"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", "900"))
# The no-JavaScript web chat (POST /chat/): at most this many messages per conversation and per
# client address within the window (0: no limit); one more gets a 429 page asking to wait.
WEBCHAT_POSTS_PER_WINDOW = int(os.environ.get("WEBCHAT_POSTS_PER_WINDOW", "30"))
WEBCHAT_POSTS_PER_ADDRESS = int(os.environ.get("WEBCHAT_POSTS_PER_ADDRESS", "120"))
WEBCHAT_POST_WINDOW_SECONDS = int(os.environ.get("WEBCHAT_POST_WINDOW_SECONDS", "60"))
# Reverse proxies in front of daphne that append to X-Forwarded-For (0: none, the client is
# REMOTE_ADDR). Only then is that header believed, and only the entry a proxy wrote.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# Password reset links work once and for this long (Django's default is 3 days).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(24 * 3600)))
# At most this many reset mails to one address within the window (0: no limit).
PASSWORD_RESET_MAILS_PER_ADDRESS = int(os.environ.get("PASSWORD_RESET_MAILS_PER_ADDRESS", "3"))
PASSWORD_RESET_MAIL_WINDOW_SECONDS = int(
    os.environ.get("PASSWORD_RESET_MAIL_WINDOW_SECONDS", "3600")
)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Foro Abierto <no-responder@foroabierto.cl>"
)

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", bool(DATABASE_URL))
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Once the site is served only over HTTPS (README, "Production settings").
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")

# Content-Security-Policy and Permissions-Policy (forum/core/security.py): every script, style,
# image, font and connection from this site only ('self' covers its WebSocket too). Empty turns
# a header off; CONTENT_SECURITY_POLICY_REPORT_ONLY=1 sends the policy without enforcing it.
DEFAULT_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
CONTENT_SECURITY_POLICY = os.environ.get(
    "CONTENT_SECURITY_POLICY", DEFAULT_CONTENT_SECURITY_POLICY
).strip()
CONTENT_SECURITY_POLICY_REPORT_ONLY = env_bool("CONTENT_SECURITY_POLICY_REPORT_ONLY")
PERMISSIONS_POLICY = os.environ.get(
    "PERMISSIONS_POLICY", "camera=(), microphone=(), geolocation=(), payment=()"
).strip()

# Public site address, used in links sent by bots and e-mail.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Where people write about the site and to exercise their data rights (privacy page).
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "privacidad@foroabierto.cl")

# Participation rules.
IDEA_MAX_LENGTH = 5000
IDEA_TITLE_MAX_LENGTH = 200
# Ideas hidden automatically after this many reports from different people.
REPORTS_TO_HIDE = int(os.environ.get("REPORTS_TO_HIDE", "3"))
# A new idea with the same text as a visible one is merged into it by the system on arrival
# (docs/moderation.md); AUTO_MERGE_IDENTICAL=0 leaves it to the moderators' group queue.
AUTO_MERGE_IDENTICAL = os.environ.get("AUTO_MERGE_IDENTICAL", "1") not in {"0", "false", "no"}

# Outbox worker.
OUTBOX_LEASE_SECONDS = int(os.environ.get("OUTBOX_LEASE_SECONDS", "60"))
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))

# Health endpoint (/salud/, forum/core/health.py): each check (database, cache, channel layer)
# must answer within this many seconds or counts as failed; a due notification or bot update
# waiting longer than the age limit is reported late (a 503 only with ?strict=1).
HEALTH_CHECK_TIMEOUT_SECONDS = float(os.environ.get("HEALTH_CHECK_TIMEOUT_SECONDS", "2"))
HEALTH_BACKLOG_MAX_AGE_SECONDS = int(os.environ.get("HEALTH_BACKLOG_MAX_AGE_SECONDS", "600"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Messaging bots (docs/bots.md). Telegram's official server unless TELEGRAM_API_URL points at a
# local Bot API server (or, in tests, a fake one on 127.0.0.1).
TELEGRAM_BOT_TOKEN = os.environ.get("TELEGRAM_BOT_TOKEN", "")
TELEGRAM_WEBHOOK_SECRET = os.environ.get("TELEGRAM_WEBHOOK_SECRET", "")
TELEGRAM_API_URL = os.environ.get("TELEGRAM_API_URL", "https://api.telegram.org/bot")
WHATSAPP_VERIFY_TOKEN = os.environ.get("WHATSAPP_VERIFY_TOKEN", "")
WHATSAPP_APP_SECRET = os.environ.get("WHATSAPP_APP_SECRET", "")
WHATSAPP_ACCESS_TOKEN = os.environ.get("WHATSAPP_ACCESS_TOKEN", "")
WHATSAPP_PHONE_NUMBER_ID = os.environ.get("WHATSAPP_PHONE_NUMBER_ID", "")
WHATSAPP_API_URL = os.environ.get("WHATSAPP_API_URL", "https://graph.facebook.com/v21.0")
# Meta lets a business send free text only within 24 hours of the participant's last message;
# later pushes (a council's answer weeks after the idea was sent) go as this approved
# message template (category "utility", two body variables; text in docs/bots.md).
WHATSAPP_PUSH_TEMPLATE = os.environ.get("WHATSAPP_PUSH_TEMPLATE", "")
# The convocation's invitation and the consent request of a person proposed in someone's place,
# outside the window: approved templates with quick-reply buttons (forum/bots/whatsapp_templates.py;
# without them, they go as the push template above, whose text carries the answer page's link).
WHATSAPP_INVITATION_TEMPLATE = os.environ.get("WHATSAPP_INVITATION_TEMPLATE", "")
WHATSAPP_CONSENT_TEMPLATE = os.environ.get("WHATSAPP_CONSENT_TEMPLATE", "")
# Only for `manage.py whatsapp_push_template` (submitting the template for Meta's review).
WHATSAPP_BUSINESS_ACCOUNT_ID = os.environ.get("WHATSAPP_BUSINESS_ACCOUNT_ID", "")
# Template language per person language, "es:es,en:en" (Meta's codes, e.g. es_MX, en_US).
WHATSAPP_PUSH_TEMPLATE_LANGUAGES = os.environ.get("WHATSAPP_PUSH_TEMPLATE_LANGUAGES", "es:es,en:en")
TELEGRAM_BOT_USERNAME = os.environ.get("TELEGRAM_BOT_USERNAME", "")
# The webhooks only store updates: `manage.py work` (kinds "updates", "replies") answers them.
BOTS_WEBHOOK_MAX_BYTES = int(os.environ.get("BOTS_WEBHOOK_MAX_BYTES", str(1024 * 1024)))
# Ideas one chat identity may send per window before the bot asks them to wait.
BOTS_SUBMISSIONS_PER_WINDOW = int(os.environ.get("BOTS_SUBMISSIONS_PER_WINDOW", "5"))
BOTS_SUBMISSION_WINDOW_SECONDS = int(os.environ.get("BOTS_SUBMISSION_WINDOW_SECONDS", "600"))

# Live threads: every this many seconds each process's thread hub sends its open sockets the
# posts the channel layer did not bring (an event published while Redis was down is lost);
# 0 turns it off. Not used with the in-memory layer (docs/reliability.md).
THREADS_RESYNC_SECONDS = float(os.environ.get("THREADS_RESYNC_SECONDS", "10"))
