"""Production: secrets are required, HTTPS is enforced, static files are hashed."""

from config.env import env_bool, env_int, env_required, env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_required("DJANGO_SECRET_KEY")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
# Preloading is a one-way door for the whole domain, so it is opt-in and its reminder is silenced until then.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Keep PostgreSQL connections between requests (health-checked before reuse) instead of one per request.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)  # noqa: F405
CONTENT_SECURITY_POLICY = {**CONTENT_SECURITY_POLICY, "upgrade-insecure-requests": []}  # noqa: F405

# Redis holds the cache (sign-in rate limits, the anonymous page cache) so every process shares it.
CACHE_URL = env_str("CACHE_URL", "redis://127.0.0.1:6379/1")
CACHES = {"default": {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": CACHE_URL}}
# Sessions are read from that cache and written through to the database, so a signed-in request reads no session
# row (the database copy survives a cache restart).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
KEPT_RESULTS = env_bool("KEPT_RESULTS", True)  # the cache above is Redis, shared by every process

# WhiteNoise serves the hashed, compressed static files straight from gunicorn.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": STORAGES["private"],  # noqa: F405
    "staticfiles": {"BACKEND": "config.storage.StaticStorage"},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)

LOGGING["root"]["level"] = env_str("LOG_LEVEL", "WARNING")  # noqa: F405

# Background work always goes to a Celery worker in production.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_ALWAYS_EAGER = False
TASKS = {"default": {"BACKEND": "config.task_backend.CeleryOnCommitBackend"}}
