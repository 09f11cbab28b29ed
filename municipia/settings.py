"""Django settings for Municipia: every environment-specific value comes from the environment.

The defaults are for the embedded demo only (SQLite, no services). Production sets at least
SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and, to scale out, REDIS_URL.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("MUNICIPIA_TESTING", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    # The web server (gunicorn through wsgi.py sets MUNICIPIA_SERVING) refuses to start without
    # a key; management commands and the demo may run with a throw-away one. Deployments set
    # SECRET_KEY for every process, Celery workers included (see the README).
    if env_bool("MUNICIPIA_SERVING") and not (DEBUG or TESTING):
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for the local demo).")
    SECRET_KEY = "insecure-demo-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # modeltranslation must come before django.contrib.admin to patch its forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "rules",
    "municipia.core",
    "municipia.organizations",
    "municipia.strategy",
    "municipia.governance",
    "municipia.indicators",
    "municipia.alignment",
    "municipia.diagnosis",
    "municipia.reports",
    "municipia.portfolio",
    "municipia.portal",
    "municipia.api",
    "municipia.partnerships",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "municipia.urls"
WSGI_APPLICATION = "municipia.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: SQLite by default, anything dj-database-url understands via DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'municipia.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside a writer; IMMEDIATE avoids "database is locked" upgrades.
    DATABASES["default"]["CONN_MAX_AGE"] = None
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA cache_size=-64000; PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    if TESTING:
        DATABASES["default"]["TEST"] = {"NAME": os.environ.get("MUNICIPIA_TEST_SQLITE", "")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and background jobs: Redis when REDIS_URL is set, in-process otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    # Per process; the public page cache stays correct because its keys carry the content
    # version read from the database (see municipia.core.cache).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Run by `celery -A municipia beat` (one host) when REDIS_URL is set; without it, cron can run
# `manage.py send_reminders` instead. Hourly: each run sends only what is due and not yet sent.
CELERY_BEAT_SCHEDULE = {
    "send-reminders": {
        "task": "municipia.governance.tasks.send_reminders",
        "schedule": crontab(minute=5),
    },
    "send-indicator-reminders": {
        "task": "municipia.indicators.tasks.send_indicator_reminders",
        "schedule": crontab(hour=7, minute=15),
    },
    "send-action-digests": {
        "task": "municipia.strategy.tasks.send_action_digests",
        "schedule": crontab(day_of_week="mon", hour=7, minute=30),
    },
}
# Anonymous public pages and API reads are cached whole (municipia.core.cache); PUBLIC_CACHE=0
# turns it off, e.g. to measure the uncached cost.
PUBLIC_CACHE = env_bool("PUBLIC_CACHE", True)

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Fast hashing keeps the many users of the permission grids cheap; never used outside tests.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# --- Languages: interface and content in English, Spanish, Catalan and Bulgarian.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("ca", _("Catalan")),
    ("bg", _("Bulgarian")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Madrid"
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
# Content written in any one language is shown in the others rather than left blank.
MODELTRANSLATION_FALLBACK_LANGUAGES = {
    "default": ("en", "es", "ca", "bg"),
    "ca": ("ca", "es", "en", "bg"),
    "es": ("es", "ca", "en", "bg"),
}

# --- Static files: collected and served by whitenoise; nothing comes from a CDN.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Files the product writes (report jobs' PDFs and spreadsheets). Several web hosts and Celery
# workers must share this directory (a network file system) or it must point at shared storage.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- E-mail: console in the demo, SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Municipia <no-reply@localhost>")
# Links in e-mails are absolute: the address the site is served at.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# The agenda of a meeting goes out this many days before it; draft minutes are chased when the
# body's next meeting is this close.
REMINDER_AGENDA_DAYS = int(os.environ.get("REMINDER_AGENDA_DAYS", "3"))
# With a Celery worker, survey results of campaigns this large are recomputed in the background.
DIAGNOSIS_INLINE_RESULTS_MAX = int(os.environ.get("DIAGNOSIS_INLINE_RESULTS_MAX", "5000"))

# --- Security: strict by default, relaxed only by DEBUG for the local demo.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and not TESTING and env_bool("HTTPS", True):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- REST API.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["municipia.api.permissions.RulesPermission"],
    # One FilterSet per list (it also carries `search`), shared with the HTML pages.
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "municipia.api.pagination.StandardPagination",
    # Slows down password guessing on the token sign-in endpoint.
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("API_TOKEN_RATE", "20/min")},
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "municipia.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Municipia API",
    "DESCRIPTION": "Strategic plans of councils and networks: organisations, plans, axes, "
    "challenges, objectives, actions and milestones.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PlanStatusEnum": "municipia.strategy.choices.PlanStatus",
        "ActionStatusEnum": "municipia.strategy.choices.ActionStatus",
        # Organisations and governance bodies both have a `kind`: name each enum after its model.
        "KindEnum": "municipia.organizations.choices.OrganizationKind",
        "BodyKindEnum": "municipia.governance.choices.BodyKind",
        "IndicatorStatusEnum": "municipia.indicators.choices.IndicatorStatus",
        "QuestionnaireKindEnum": "municipia.diagnosis.choices.QuestionnaireKind",
        "QuestionKindEnum": "municipia.diagnosis.choices.QuestionKind",
        "ProfileKindEnum": "municipia.diagnosis.choices.ProfileKind",
        "SwotKindEnum": "municipia.diagnosis.choices.SwotKind",
        "LanguageEnum": [code for code, _name in LANGUAGES],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
