"""Support Circle settings: one module, every value from the environment.

Defaults are safe for a laptop (SQLite, local-memory cache, console email, DEBUG on only when
DJANGO_DEBUG=1). With DJANGO_DEBUG=0 the site refuses to start without a secret key and allowed hosts.
Every variable is listed in .env.example and the README.
"""

from pathlib import Path
from urllib.parse import unquote

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
# Every entry point (manage.py, runserver, gunicorn, the task worker) reads the same file, and values already in
# the process environment win. DJANGO_ENV_FILE points elsewhere (tests use it to read no file at all).
environ.Env.read_env(env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

# --- Core -------------------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG:
    if not SECRET_KEY:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for local development).")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS, e.g. 'careclinic.example.org'.")
if not SECRET_KEY:
    SECRET_KEY = "insecure-development-key-only-used-when-DJANGO_DEBUG=1"
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The address in every email link and certificate. In production it defaults to the first allowed host over
# https, so links never point at a development address; config/checks.py refuses one ALLOWED_HOSTS rejects.
# In development the default follows `make run PORT=8001` (make passes PORT to the site and its worker).
SITE_URL = env.str(
    "SITE_URL",
    default=f"http://127.0.0.1:{env.int('PORT', default=8000)}" if DEBUG else f"https://{ALLOWED_HOSTS[0].lstrip('.')}",
).rstrip("/")
# bench/run.py sets this to route its fixed baseline page (/bench/bare/); never set it in production.
BENCH_BARE_VIEW = env.bool("BENCH_BARE_VIEW", default=False)

INSTALLED_APPS = [
    "modeltranslation",  # before admin: translated content fields (courses/translation.py, quizzes/translation.py)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "adminsortable2",  # drag-and-drop order of modules, lessons, questions and choices in admin
    "bootstrap",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "courses",
    "quizzes",
    "clinics",
    "toolkit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses HTML (WhiteNoise already serves static files pre-compressed); Django pads the output against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "config.request_logging.RequestLogMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    # Odd methods, control characters in paths, oversized bodies: a 4xx before the CSRF check parses anything.
    "config.middleware.RequestGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # the language from the URL prefix (/es/…); English has none
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.languages.PreferredLanguageMiddleware",  # first visit: the browser's language; then the choice
    "config.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.permissions.AdminTwoFactorMiddleware",
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
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "accounts.languages.language_alternates",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "courses.context_processors.site_facts",
                "clinics.context_processors.clinic_link",
            ],
            # The header and footer, kept rendered per process and language: base.html's {% site_part %}.
            "libraries": {"site_parts": "config.site_parts"},
        },
    }
]

# --- Data ---------------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
# A kept connection the database or a proxy dropped is noticed and replaced, instead of failing a request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers continue while a quiz submission writes; a busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://support-circle")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
    # Django's default of 300 entries culls a third of them when full: with a sign-in rate limit, a two-factor step
    # and a header flag per person, a busy worker would drop rate limits and cached pages every few seconds.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 20000)
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Short timeouts, and each worker carries on from its own memory while Redis is down (config/cache_backends.py).
    CACHES["default"]["BACKEND"] = "config.cache_backends.ResilientRedisCache"
    CACHES["default"]["OPTIONS"] = {
        "timeout": env.float("CACHE_TIMEOUT", default=0.5),
        "retry_after": env.float("CACHE_RETRY_AFTER", default=10),
    }
SESSION_ENGINE = env.str("DJANGO_SESSION_ENGINE", default="django.contrib.sessions.backends.db")

# --- Email ----------------------------------------------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", default="consolemail://")
EMAIL_CONFIG = env.email_url_config(EMAIL_URL)
if EMAIL_URL.startswith("filemail://"):
    # A folder: filemail://tmp/mail is relative to the checkout, filemail:///var/mail/sc absolute. (django-environ
    # reads the first part as a host name and drops it, and strips the slash of an absolute path.)
    EMAIL_CONFIG["EMAIL_FILE_PATH"] = str(BASE_DIR / unquote(EMAIL_URL.removeprefix("filemail://").split("?")[0]))
vars().update(EMAIL_CONFIG)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)  # seconds; a silent mail server fails the attempt (retried)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Support Circle <no-reply@supportcircle.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Optional: send through a provider's API with django-anymail (https://anymail.dev), whose tracking webhook
# (/anymail/<provider>/tracking/) reports bounces and complaints: such an invitation is marked given up. E.g.
# ANYMAIL_PROVIDER=postmark ANYMAIL='{"POSTMARK_SERVER_TOKEN": "…", "WEBHOOK_SECRET": "user:long-random-password"}'
ANYMAIL_PROVIDER = env.str("ANYMAIL_PROVIDER", default="")
if ANYMAIL_PROVIDER:
    INSTALLED_APPS.append("anymail")
    EMAIL_BACKEND = f"anymail.backends.{ANYMAIL_PROVIDER}.EmailBackend"
    ANYMAIL = env.json("ANYMAIL", default={})

# --- Background work (django-tasks; Django 6's django.tasks API) --------------------------------------------
# The queue is a table in the site's own database: `manage.py db_worker` runs what is queued (any number of
# them, on any number of hosts, share it). Tests run tasks in-process (config/test_settings.py).
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
# /healthz answers 503 when the oldest task waiting to run has waited longer than this (workers stopped).
TASKS_MAX_WAIT_SECONDS = env.int("TASKS_MAX_WAIT_SECONDS", default=300)

# --- Accounts (django-allauth) -----------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Argon2id first (docs/performance.md has the measurements behind the parameters); PBKDF2 after it so older
# hashes still verify, and Django rewrites each one as Argon2 when its owner next signs in.
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None  # ask: "Remember me"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Support Circle] "
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"  # our fields, added to allauth's form
ACCOUNT_FORMS = {"signup": "accounts.signup.SignupForm"}  # allauth's form, timed the same for known addresses
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Load tests only (bench/run.py --scenario moodle sets it for its own gunicorn): thousands of sign-ins all come
# from 127.0.0.1 and would hit allauth's per-address limits. Off unless the variable is set; never on a real site.
if env.bool("BENCH_NO_RATE_LIMITS", default=False):
    ACCOUNT_RATE_LIMITS = False
# Rate limits key on the client's address. X-Forwarded-For is written by clients as well as proxies, so only
# the last N hops (added by our own proxies) are believed; 0 means no proxy: the connection's own address.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
# Or a header a proxy sets to the client's address and never passes through from clients (CF-Connecting-IP).
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("DJANGO_TRUSTED_CLIENT_IP_HEADER", default="") or None
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Support Circle"
# Accept the code of the previous or next 30-second step too: phones' clocks drift, and a code typed as it turns
# over would otherwise be refused (RFC 6238 §5.2 recommends allowing one step). Replays stay refused.
MFA_TOTP_TOLERANCE = 1

# --- Forms, static files, i18n -------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 31536000  # hashed names, so a year is safe
LANGUAGE_CODE = "en"
# The site and the course in two languages. English URLs have no prefix; Spanish ones start with /es/.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]  # locale/es/LC_MESSAGES/django.po; `make setup` compiles it (.mo not committed)
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)  # a Spanish field left empty shows the English text
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Course content ----------------------------------------------------------------------------------
CONTENT_DIR = Path(env.str("CONTENT_DIR", default=str(BASE_DIR / "content")))
CRISIS_LINE = {"call_text": "988", "emergency": "911"}

# --- Logging: one line per request, no personal data (no emails, no query strings) ----------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        # config.request_logging: method, path without query string, route name, status, duration.
        "supportcircle.requests": {"level": env.str("DJANGO_REQUEST_LOG_LEVEL", default="INFO")},
    },
}

# --- Security (production) ---------------------------------------------------------------------------
# Safe by default: with DJANGO_DEBUG=0 everything below is on and `manage.py check --deploy` is clean.
# config/test_settings.py turns the HTTPS redirect and secure cookies off, because the test client and the
# live-server browser tests speak plain http.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers often probe over plain http inside the network
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients), set
# DJANGO_SECURE_PROXY_SSL_HEADER=1 so Django knows the request was https; without it, SSL redirect loops.
if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS: browsers refuse plain http for this long. Start lower (e.g. 3600) while trying out a new domain.
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sent by config.middleware.PermissionsPolicyMiddleware: the site needs none of these browser features.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
# django-csp: only our own files. No inline scripts or style attributes anywhere (templates use classes);
# data: images are allauth's TOTP QR code and Bootstrap's icons.
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
