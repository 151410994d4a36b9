"""Settings shared by every environment; each value comes from the environment."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-local-development-key-never-use-in-production")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "home",
    "challenges",
    "accounts",
    "submissions",
    "judging",
    "pilots",
    "audit",
    "archive",
    "opendata",
    "clarifications",
    "notifications",
    "pagecache",
    "demo",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.csp.ContentSecurityPolicyMiddleware",
    # Before anything reads the body: an oversized request is refused from its Content-Length alone, and uploads
    # whose names clean down to nothing are read as files rather than breaking the rest of the form.
    "config.request_body.RequestBodyMiddleware",
    # Before sessions and authentication, so serving a cached page to an anonymous visitor reads no database.
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Hands Wagtail's page view the site and the page it asks for, kept per generation (home/routing.py).
    "home.routing.KeptRouteMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "home.context_processors.site_chrome",
            ],
        },
    },
]

# SQLite file by default; PostgreSQL (or anything dj-database-url reads) through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Authentication (allauth) ---------------------------------------------------------------
# Owned by the sign-in work: email-only accounts, verification, rate limits, two-factor.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
# A new supplier's next step is setting up the organisation their proposals come from.
ACCOUNT_SIGNUP_REDIRECT_URL = "/organisations/new/"
MIDDLEWARE += [
    "allauth.account.middleware.AccountMiddleware",
    # After authentication and messages: staff and judges without an authenticator app are sent to set one up.
    "accounts.middleware.TwoFactorRequiredMiddleware",
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
MFA_ADAPTER = "accounts.adapter.MFAAdapter"

# Accounts are an email address and a password; there are no usernames.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {"signup": "accounts.signup.SignupForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Nobody signs in before proving the address is theirs. A 6-digit code typed into the same tab (as GOV.UK One
# Login does) keeps the journey in one place and needs no "confirm" page between the email and the account.
# The code expires after 15 minutes and allows 3 attempts (allauth's defaults).
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
# The code page offers a new code, and a way to fix a mistyped address (twice each, rate-limited).
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_CHANGE = True
# Tell people by email when their password, addresses or two-factor settings change.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Password rules are AUTH_PASSWORD_VALIDATORS. allauth's rate limits (failed sign-ins, resets, sign-ups, codes)
# stay at their defaults: ACCOUNT_RATE_LIMITS is deliberately not set, and must never be False.
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
# None: the sign-in form asks whether to stay signed in; otherwise the session ends with the browser.
ACCOUNT_SESSION_REMEMBER = None
# A signed-in person sent to sign in (e.g. a supplier opening /admin/) sees the page and the reason,
# rather than bouncing between the admin and the sign-in page.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False

# Two-factor: an authenticator app (TOTP) with recovery codes, open to everyone, required for staff and judges.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("SITE_NAME", "Urban Challenge")
# Accept the code of the previous or next 30-second step too (RFC 6238's allowance for clock drift).
MFA_TOTP_TOLERANCE = 1

# Rate limits count per client address. Behind a reverse proxy every request reaches gunicorn from the proxy's
# address, so the limits would be shared by everyone: one visitor's failed sign-ins would lock out the rest. Set
# TRUSTED_PROXY_COUNT to the number of proxies in front of the site (each appends the address it saw to
# X-Forwarded-For, and the client's is read that many places from the end), or TRUSTED_CLIENT_IP_HEADER to a
# header your one proxy always overwrites (e.g. X-Real-IP). Never set either without such a proxy: a client could
# then choose its own address.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER", "") or None

# Both admin sites sign in through allauth, so two-factor cannot be skipped; resets go through allauth too.
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
# --- end of authentication -------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static_build"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# Proposal files never sit under MEDIA_URL: they are read back only through permission-checked views.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Wagtail
WAGTAIL_SITE_NAME = env_str("SITE_NAME", "Urban Challenge")
# Privacy-restricted pages send visitors to allauth's sign-in, never to Wagtail's password-only form.
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAILADMIN_BASE_URL = env_str("SITE_BASE_URL", "http://localhost:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_I18N_ENABLED = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# No third-party avatar requests from the admin: they leak staff email hashes and need the network.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Site chrome
SITE_PHASE = env_str("SITE_PHASE", "beta")
SITE_FEEDBACK_EMAIL = env_str("SITE_FEEDBACK_EMAIL", "feedback@urban-challenge.example")
# A challenge whose winners were announced this many days ago moves to the archive.
CHALLENGE_ARCHIVE_AFTER_DAYS = env_int("CHALLENGE_ARCHIVE_AFTER_DAYS", 365)
CHALLENGES_PER_PAGE = env_int("CHALLENGES_PER_PAGE", 12)
# The publisher prefix 360Giving assigns (the part after "360G-"): every grant and fallback organisation identifier in
# the 360Giving data starts "360G-<prefix>-". Set it to the one 360Giving gives you before registering the data.
THREESIXTYGIVING_PREFIX = env_str("THREESIXTYGIVING_PREFIX", "urbanchallenge")
INVITATION_EXPIRY_DAYS = env_int("INVITATION_EXPIRY_DAYS", 14)
# Invitation emails carry text an owner chose, so an organisation may send only so many an hour.
INVITATIONS_PER_HOUR = env_int("INVITATIONS_PER_HOUR", 20)
# Uploads per account per hour: enough to replace every file of a proposal several times, too few to churn storage.
UPLOADS_PER_HOUR = env_int("UPLOADS_PER_HOUR", 40)
# The largest request body read at all, in MB: a page of uploads within the 50 MB a proposal may store, and its form.
MAX_REQUEST_BODY_MB = env_int("MAX_REQUEST_BODY_MB", 55)
# A proposal whose judges disagree by more than this many points (of 100) is flagged for moderation.
JUDGING_SPREAD_THRESHOLD = env_int("JUDGING_SPREAD_THRESHOLD", 25)
# Seconds after the last change to a stage's reviews before its decision-confidence figures are worked out again
# (judging/services/confidence.py); below CELERY_VISIBILITY_TIMEOUT, or the delayed task is delivered twice.
JUDGING_CONFIDENCE_DELAY = env_int("JUDGING_CONFIDENCE_DELAY", 20)

# The public archive's search: Elasticsearch when a cluster is configured, else the database's full-text search.
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL", "")
ELASTICSEARCH_TIMEOUT = env_int("ELASTICSEARCH_TIMEOUT", 5)
ARCHIVE_INDEX_PREFIX = env_str("ARCHIVE_INDEX_PREFIX", "urban-challenge")
ARCHIVE_SEARCH_BACKEND = env_str(
    "ARCHIVE_SEARCH_BACKEND",
    "archive.backends.elastic.ElasticsearchBackend"
    if ELASTICSEARCH_URL
    else "archive.backends.database.DatabaseBackend",
)
# Wagtail's own search (the admin's page search) uses the same cluster when there is one, in its own index.
WAGTAILSEARCH_BACKENDS = {
    "default": (
        {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": f"{ARCHIVE_INDEX_PREFIX}-wagtail-",
            "TIMEOUT": ELASTICSEARCH_TIMEOUT,
        }
        if ELASTICSEARCH_URL
        else {"BACKEND": "wagtail.search.backends.database"}
    )
}
# clamd's Unix socket; when set, every upload is scanned and infected files are quarantined.
CLAMAV_SOCKET = env_str("CLAMAV_SOCKET", "")

# Cache: Redis when CACHE_URL is set (production), else this process's memory.
CACHE_URL = env_str("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Whole pages for anonymous visitors, purged when content is published or winners announced; 0 turns it off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0)
PAGE_CACHE_ALIAS = "default"
# Each process also keeps the pages it served (up to this many), asking Redis for purges every so many seconds.
PAGE_CACHE_LOCAL_ENTRIES = env_int("PAGE_CACHE_LOCAL_ENTRIES", 500)
PAGE_CACHE_LOCAL_SECONDS = env_int("PAGE_CACHE_LOCAL_SECONDS", 1)
# Pages show challenge statuses, so none is kept beyond the next moment a status changes.
PAGE_CACHE_NEXT_CHANGE = "challenges.selectors.next_status_change"
# Results every visitor shares (navigation, routes, a challenge's content, cards, the listing's order) are worked
# out once per process and kept until what they depend on changes (core/kept.py). Each process learns of a change
# from the generation in the shared cache, so by default they are kept only when that cache is shared (Redis): with
# this process's memory, a page published by another process (a management command, a worker) would go unseen.
KEPT_RESULTS = env_bool("KEPT_RESULTS", bool(CACHE_URL))

# Content-Security-Policy (config/csp.py): only the site's own scripts and styles, no inline code, no framing.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
CONTENT_SECURITY_POLICY_RELAXED_PREFIXES = ["/admin/", "/django-admin/"]

# Email
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# A hung mail server must not hold a notification past the broker's visibility timeout.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Urban Challenge <no-reply@urban-challenge.example>")

# Celery. Without a broker every task runs eagerly in-process (the embedded default).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Reliability: a task is acknowledged only after it finished, a task whose worker died is
# redelivered, and each worker holds one message at a time so a crash strands nothing else.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
# Redis hands a message a dead worker had taken (SIGKILL, OOM) to another after the visibility timeout,
# swept every CELERY_UNACKED_RESTORE_INTERVAL s: recovery takes about the sum. A task still running past
# the timeout, or waiting on a countdown longer than it, is delivered twice, so every task is idempotent
# and no retry countdown exceeds it (CELERY_RETRY_COUNTDOWN_MAX). The socket timeouts and the publish
# retry policy bound how long a request waits on a broker that is down before the outbox takes over.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 120)
CELERY_RETRY_COUNTDOWN_MAX = max(1, CELERY_VISIBILITY_TIMEOUT // 2)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 5),
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 3,
    "socket_timeout": 15,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_IMPORTS = ("config.task_backend",)
CELERY_BEAT_SCHEDULE = {
    "deadline-reminders": {"task": "submissions.send_deadline_reminders", "schedule": 15 * 60},
    "send-unsent-notifications": {"task": "notifications.tasks.send_unsent", "schedule": 5 * 60},
    "announce-winners": {"task": "judging.announce_due", "schedule": 5 * 60},
    "confidence-catch-up": {"task": "judging.confidence_catch_up", "schedule": 5 * 60},
    "stage-feedback": {"task": "submissions.send_stage_feedback", "schedule": 5 * 60},
    "archive-reconcile": {"task": "archive.reconcile", "schedule": 15 * 60},
    "purge-unreferenced-files": {
        "task": "submissions.purge_unreferenced_files",
        "schedule": crontab(hour=3, minute=30),
    },
    "pilot-report-reminders": {"task": "pilots.send_report_reminders", "schedule": crontab(hour=7, minute=30)},
    "pilot-digest": {"task": "pilots.send_pilot_digest", "schedule": crontab(hour=8, minute=0, day_of_week=1)},
    "manager-digest": {
        "task": "submissions.send_manager_digest",
        "schedule": crontab(hour=8, minute=0),
    },
}

# Wagtail's own background work (search index, reference index) goes through django-tasks.
# With a broker it is handed to Celery once the transaction commits; without, it runs at once.
TASKS = {
    "default": {
        "BACKEND": (
            "config.task_backend.CeleryOnCommitBackend"
            if CELERY_BROKER_URL
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
    },
}
