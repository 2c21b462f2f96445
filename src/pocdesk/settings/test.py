"""Settings for the test suite. DATABASE_URL switches it to PostgreSQL."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "pocdesk-test-key-not-secret-but-long-enough-for-django-checks-0123456789"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
POCDESK_ALLOW_DEMO = True
POCDESK_API_THROTTLE = "100000/m"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

STATIC_ROOT = VAR_DIR / "test-static"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Parallel runs on one PostgreSQL server each name their own test database.
if os.environ.get("POCDESK_TEST_DB"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.environ["POCDESK_TEST_DB"]}  # noqa: F405
