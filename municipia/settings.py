"""Django settings for Municipia: every environment-specific value comes from the environment.

The defaults are for the embedded demo only (SQLite, no services). Production sets at least
SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and, to scale out, REDIS_URL.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

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
# Reverse proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-For is believed when finding
# the client's address (municipia.core.http.client_ip); empty: the socket address is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")

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
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
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
    "municipia.accounts",
]

if TESTING:
    # The tests start a local OpenID Connect provider (django-oauth-toolkit) to sign in against.
    INSTALLED_APPS.append("oauth2_provider")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "municipia.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "municipia.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the "locked out" answer.
    "axes.middleware.AxesMiddleware",
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
    CACHES: dict[str, dict[str, Any]] = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
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
    # Commitments and agreements coming due, then the news digests (partnerships.mail).
    "send-partnership-mail": {
        "task": "municipia.partnerships.tasks.send_partnership_mail",
        "schedule": crontab(hour=7, minute=30),
    },
    # Followers of actions and plans (partnerships.follows): also queued a few minutes after a
    # save; hourly catches computed statuses that move with the date.
    "send-follow-notices": {
        "task": "municipia.partnerships.tasks.send_follow_notices",
        "schedule": crontab(minute=20),
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
    # First: refuses every sign-in (site, admin, API token) of a locked-out account or address.
    "axes.backends.AxesStandaloneBackend",
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
# Password guessing (django-axes): failures are counted in the database, which every worker
# shares, per account and per client address; either reaching the limit locks it for the
# cool-off time. An administrator unlocks earlier from the admin ("Access attempts") or with
# `manage.py axes_reset_username <name>` / `axes_reset_ip <address>`.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "municipia.core.http.client_ip"
AXES_LOCKOUT_CALLABLE = "municipia.accounts.lockout.locked_out_response"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Addresses (or networks, e.g. 10.0.0.0/8) of the reverse proxies in front of the app: only a
# request whose socket peer is one of them has its X-Forwarded-For believed.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
# Sign-in through organisations' identity providers (OpenID Connect): OIDC_PROVIDERS lists keys,
# each configured by OIDC_<KEY>_ISSUER, _CLIENT_ID, _CLIENT_SECRET, _ORGANIZATION (the slug of the
# organisation whose people it signs in; default: the key) and _LABEL (the button's text).
OIDC_PROVIDERS = {
    key: {
        "issuer": os.environ.get(f"OIDC_{key.upper().replace('-', '_')}_ISSUER", ""),
        "client_id": os.environ.get(f"OIDC_{key.upper().replace('-', '_')}_CLIENT_ID", ""),
        "client_secret": os.environ.get(f"OIDC_{key.upper().replace('-', '_')}_CLIENT_SECRET", ""),
        "organization": os.environ.get(f"OIDC_{key.upper().replace('-', '_')}_ORGANIZATION", key),
        "label": os.environ.get(f"OIDC_{key.upper().replace('-', '_')}_LABEL", key),
    }
    for key in env_list("OIDC_PROVIDERS", "")
}
# Two-factor authentication (django-otp): site administrators must use it before the admin. Off
# only for the other apps' tests, which sign administrators in with force_login; the accounts
# tests switch it on.
ADMIN_REQUIRES_TWO_FACTOR = env_bool("ADMIN_REQUIRES_TWO_FACTOR", not TESTING)
OTP_TOTP_ISSUER = os.environ.get("OTP_ISSUER", "Municipia")
# API tokens issued by the token page and the token endpoint live this many days at most.
API_TOKEN_MAX_DAYS = int(os.environ.get("API_TOKEN_MAX_DAYS", "365"))
API_TOKEN_DEFAULT_DAYS = int(os.environ.get("API_TOKEN_DEFAULT_DAYS", "90"))
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
# Dates and numbers as CLDR writes them where Django's formats differ (bg grouping, ca "de").
FORMAT_MODULE_PATH = ["municipia.formats"]
# A list filter's empty choice says what it does ("All"), not "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("All")
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
# Files the product writes or receives (report jobs' PDFs and spreadsheets, agreement documents):
# in MEDIA_ROOT by default, which several web hosts and Celery workers would have to share; in an
# S3-compatible bucket when S3_BUCKET is set, so that a deployment needs no shared file system.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))


def file_storage() -> dict[str, Any]:
    """The default storage: the local directory, or the bucket S3_BUCKET names (django-storages).

    Credentials come from boto3's usual sources (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, an
    instance role…); S3_ENDPOINT_URL points at a non-AWS service (MinIO, Ceph, OVH, Scaleway).
    Files are private: downloads go through the product's views, which check permissions.
    """
    bucket = os.environ.get("S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "location": os.environ.get("S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": file_storage(),
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
# Django's database sessions, looked up with one plain statement (municipia/accounts/sessions.py).
SESSION_ENGINE = "municipia.accounts.sessions"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and not TESTING and env_bool("HTTPS", True):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Served over HTTPS only: plain HTTP is redirected and browsers told to remember it.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Joining the browsers' HSTS preload list binds the whole domain for years: each deployment
# decides (SECURE_HSTS_PRELOAD=1), so `check --deploy` need not warn about it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# --- REST API.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "municipia.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["municipia.api.permissions.RulesPermission"],
    "DEFAULT_PARSER_CLASSES": [
        "municipia.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
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
    # The data the API publishes is open data (portal/open-data page; exports say the same).
    "LICENSE": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Empty optional addresses and values hidden from the reader, as the responses really are.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "municipia.api.schema.document_empty_and_hidden_values",
    ],
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
        # The same codes with their names (people's, campaigns' and subscriptions' languages).
        "InterfaceLanguageEnum": LANGUAGES,
        # One status model: the dashboard's health and the actions' computed status are one set.
        "ComputedStatusEnum": "municipia.strategy.choices.ComputedStatus",
        # Partners in actions and members of bodies both have a `role`.
        "PartnerRoleEnum": "municipia.strategy.choices.PartnerRole",
        "MemberRoleEnum": "municipia.governance.choices.MemberRole",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
