"""Settings for IOP Navigator, read from the environment (see .env.example).

With nothing configured the app runs in development mode on an embedded SQLite
file. Production sets DJANGO_DEBUG=false, SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL (PostgreSQL); CACHE_URL (Redis) when more than one process serves.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from iop.redis_cache import kept_client_redis

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# DJANGO_DEBUG is the documented name; DEBUG is accepted too.
DEBUG = env.bool("DJANGO_DEBUG", default=env.bool("DEBUG", default=True))

_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not SECRET_KEY or (not DEBUG and SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfigured("Set SECRET_KEY in the environment when DEBUG is off.")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "modeltranslation",  # Spanish fields for content (iop/translation.py); before the admin
    "iop.apps.StaffAdminConfig",  # django.contrib.admin with optional staff 2FA
    "iop.apps.AuthConfig",  # django.contrib.auth, named "Staff accounts"
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "csp",
    "django_otp",
    "iop.apps.TOTPConfig",  # django_otp.plugins.otp_totp, named "Two-step sign-in"
    "simple_history",
    "iop.apps.AxesConfig",  # axes, named "Sign-in protection"
    "iop",
    "screening",
    "reports",
    "import_export",  # CSV/XLSX import and export of programs in the admin
    "hsds",  # Open Referral HSDS 3.0 export, import and the public API
]

MIDDLEWARE = [
    "iop.middleware.RequestIdMiddleware",
    "iop.cache.VersionsMiddleware",  # the catalogue versions read once a request
    "django.middleware.security.SecurityMiddleware",
    # Outside the middleware that answer early (413, 405), so those pages get the header too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "iop.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "iop.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "iop.middleware.FriendlyErrorPageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "iop.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "iop.urls"
WSGI_APPLICATION = "iop.wsgi.application"

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
                "iop.context_processors.site",
                "iop.context_processors.languages",
                # Replaces `messages` above: pages of visitors without a session never read one.
                "iop.context_processors.messages",
            ],
            # Django's url tag, with the fixed addresses kept per language
            # (iop/templatetags/kept_url.py); the project's templates load kept_i18n, Django's
            # i18n with the fixed texts kept the same way.
            "builtins": ["iop.templatetags.kept_url"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache also holds sessions: screening answers must live on the server but
# never in the database (DESIGN §7). Use Redis (CACHE_URL=redis://...) when more
# than one process serves; the default file cache works for one machine.
CACHES = {
    "default": env.cache(
        "CACHE_URL", default=f"filecache://{BASE_DIR / '.cache' / 'django'}"
    ),
}
# CACHE_KEY_PREFIX keeps several sites (or test runs) apart on one Redis.
CACHES["default"]["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="")
# Whole catalogue pages (iop.cache): local memory of each process by default, bounded; the
# version that invalidates them lives in the default (shared) cache above. PAGE_CACHE_URL puts
# them in Redis too (shared by every process, at a round trip per page).
CACHES["pages"] = env.cache("PAGE_CACHE_URL", default="locmemcache://iop-pages")
CACHES["pages"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 2000)
# Django's Redis backend, keeping one client per server instead of building one per command
# (iop.redis_cache says why).
CACHES = kept_client_redis(CACHES)
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
SESSION_COOKIE_AGE = 60 * 60 * 2  # two hours
# A screening result is kept this long after it is shown, then erased (screening.result_views).
SCREENING_RESULT_SECONDS = 30 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Flash messages ride in the (cache-backed) session: no separate "messages" cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# English unprefixed, Spanish under /es/ (iop/urls.py). Names in their own language, so a
# person finds theirs in the switch whatever language the page is in.
LANGUAGES = [("en", "English"), ("es", "Español")]
# Content (django-modeltranslation): a missing Spanish text falls back to the English one.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["iop.formats"]  # US Spanish: "2 de diciembre de 2026", "1.5 millas"
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "iop.storage.KeptUrlsStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Request size limits: nothing here accepts uploads. Bodies over MAX_REQUEST_BODY_BYTES are
# refused with 413 before anything reads them (iop.middleware.RequestSizeLimitMiddleware);
# more fields (GET or POST) or files than below give 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400
DATA_UPLOAD_MAX_NUMBER_FILES = 1
FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
MAX_REQUEST_BODY_BYTES = 1024 * 1024

# Headers for every response. "same-origin" (not "no-referrer") because browsers then send
# `Origin: null` on same-site form posts, which Django's CSRF check would refuse.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_AGE = None  # gone when the browser closes
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Content Security Policy (django-csp): everything from this site, no inline script or style,
# no framing. Bootstrap's CSS draws a few icons from data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Load balancers probe these over plain HTTP: never redirect them to https (SECURE_SSL_REDIRECT).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# A refused form (CSRF) gets a page in the site's voice, with the crisis lines, never cached.
CSRF_FAILURE_VIEW = "iop.middleware.csrf_failure"

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # SECURE_COOKIES=false only for plain-http loopback tests (tests/e2e).
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    if SECURE_SSL_REDIRECT:
        CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True

LOGIN_URL = "admin:login"

# Staff sign-in: django-axes locks a username + IP pair out after 5 failures for 30 minutes.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "iop.admin_site.lockout_response"  # templates/admin/locked_out.html
# Which address a sign-in comes from. Behind reverse proxies every request arrives from the
# proxy, so set TRUSTED_PROXY_COUNT to the number of proxies that append to X-Forwarded-For
# (1 for one nginx or load balancer); the client is then that many entries from the right.
# 0 (the default) uses REMOTE_ADDR only: X-Forwarded-For can be forged by anyone.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "iop.admin_site.client_ip_address"

# Staff second factor (django-otp, TOTP apps). When on, the admin needs a verified device.
STAFF_REQUIRE_2FA = env.bool("STAFF_REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = "IOP Navigator"

# De-identified screening outcomes older than this are deleted by `manage.py purge_outcomes`.
OUTCOME_RETENTION_DAYS = env.int("OUTCOME_RETENTION_DAYS", default=365)

# Logs carry a request id (X-Request-ID) and never request bodies or query strings.
DEFAULT_EXCEPTION_REPORTER_FILTER = "iop.middleware.PrivateExceptionReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "iop.middleware.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# Programs not checked for this many days are flagged for staff.
VERIFY_AFTER_DAYS = 180
PROGRAMS_PER_PAGE = 20

# Listings in and out (issue 12). django-import-export: staff need "change" on programs to
# import and "view" to export; the file waiting between preview and confirm is kept in the
# cache (shared by every app server), and each import runs in one transaction.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# The SAMHSA upload page refuses larger files (the whole request is capped at
# MAX_REQUEST_BODY_BYTES anyway); `manage.py import_samhsa FILE` takes large exports.
SAMHSA_UPLOAD_MAX_BYTES = 900 * 1024
# The public HSDS API (hsds/api.py): answers are cached this many seconds, and one client
# (by IP address) may make HSDS_API_RATE_LIMIT requests per HSDS_API_RATE_WINDOW seconds.
HSDS_API_CACHE_SECONDS = env.int("HSDS_API_CACHE_SECONDS", default=300)
HSDS_API_RATE_LIMIT = env.int("HSDS_API_RATE_LIMIT", default=120)
HSDS_API_RATE_WINDOW = 60
HSDS_API_MAX_PER_PAGE = 100
