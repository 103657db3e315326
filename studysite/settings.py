"""Settings for StudySite, from the environment with development defaults.

Every setting a deployment changes is an environment variable (see README):
DATABASE_URL, DJANGO_SECRET_KEY, DJANGO_DEBUG, DJANGO_ALLOWED_HOSTS, DJANGO_HTTPS,
DJANGO_TRUSTED_PROXIES.
"""

import os
from datetime import timedelta
from ipaddress import ip_network
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from studysite.keys import secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable: 1, true, yes, on mean yes."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", default=False)
# DJANGO_SECRET_KEY, or a random key made at first start and kept in var/secret_key
# (mode 0600). Several machines sharing sessions must all be given the same one.
SECRET_KEY = secret_key(os.environ, VAR_DIR / "secret_key")
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "studysite.apps.AxesConfig",  # django-axes, named in Chinese
    "django_tasks",
    "studysite.apps.TaskResultsConfig",  # django_tasks_db, named in Chinese
    "template_partials.apps.SimpleAppConfig",
    "studysite",
    "learners",
    "notes",
    "quizzes",
    "flashcards",
    "search",
    "progress",
    "interchange",
    "podcasts",
    "generator",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "studysite.middleware.PrivatePagesNotStoredMiddleware",
    "studysite.middleware.MethodNotAllowedMiddleware",
    "studysite.middleware.DatabaseBusyMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

# Login throttling: five failures for one username from one address lock that
# username there for 15 minutes, and 20 failures from one address over any
# usernames (password spraying) lock the address. Attempts are counted in the
# database, so it holds across workers.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "studysite.throttle.LoginThrottle"
AXES_FAILURE_LIMIT = 5
LOGIN_FAILURES_PER_ADDRESS = 20
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address: REMOTE_ADDR, or behind one of these reverse proxies (IPs
# or CIDR ranges) the address it forwarded. Without them every learner behind a
# proxy would share its address, and a few wrong passwords would lock them all out.
TRUSTED_PROXIES = [
    proxy.strip()
    for proxy in os.environ.get("DJANGO_TRUSTED_PROXIES", "").split(",")
    if proxy.strip()
]
for _proxy in TRUSTED_PROXIES:
    try:
        _network = ip_network(_proxy, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(f"DJANGO_TRUSTED_PROXIES: {error}") from error
    if _network.prefixlen == 0:
        # Trusting every address lets any client write the address it is counted as.
        raise ImproperlyConfigured(
            f"DJANGO_TRUSTED_PROXIES: {_proxy} trusts every address; name the proxies."
        )
AXES_CLIENT_IP_CALLABLE = "studysite.http.client_address"

ROOT_URLCONF = "studysite.urls"
WSGI_APPLICATION = "studysite.wsgi.application"
ASGI_APPLICATION = "studysite.asgi.application"

_TEMPLATE_LOADERS = [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # Partials wrap the loaders; cache compiled templates outside DEBUG.
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    _TEMPLATE_LOADERS
                    if DEBUG
                    else [("django.template.loaders.cached.Loader", _TEMPLATE_LOADERS)],
                )
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# SQLite by default, tuned for several workers: WAL lets readers run beside the
# one writer, IMMEDIATE takes the write lock at BEGIN (no upgrade deadlocks), and
# the busy timeout makes a writer wait instead of failing with "database is locked".
# Past the timeout the learner gets a 503 with Retry-After (studysite.middleware),
# well before gunicorn's 30 s worker timeout. PostgreSQL waits for a row lock as long.
DATABASE_LOCK_TIMEOUT = 5
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections with health checks (set above); server-side
    # cursors off so a pooler in transaction mode works.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    # Added to, not replacing, what DATABASE_URL's query string set (sslmode, ...).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = (
        f"{_options.get('options', '')} -c lock_timeout={DATABASE_LOCK_TIMEOUT}s".strip()
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent too: opening a connection and running the PRAGMAs on every
    # request cost more than most pages (see bench/results.md).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": DATABASE_LOCK_TIMEOUT,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            f"PRAGMA busy_timeout={DATABASE_LOCK_TIMEOUT * 1000};"
            "PRAGMA foreign_keys=ON;"
        ),
    }
    # Tests use a file too, as production does: other processes (gunicorn in the
    # reliability tests, a lock holder) can open it, and WAL applies.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
# Rendered notes are cached by a hash of their inputs, so entries never go stale;
# REDIS_URL shares the cache between workers and machines.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
        if os.environ.get("REDIS_URL")
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    )
}

# Background work (podcast rendering): run at once in development and tests;
# TASKS_BACKEND=database queues it for `python manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if os.environ.get("TASKS_BACKEND") == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# FSRS spreads review intervals of 2.5 days and more by a few percent, as Anki
# does, so cards learnt together do not all fall due on the same day.
FSRS_FUZZ = env_bool("FSRS_FUZZ", default=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
# Sessions are read from the cache and written through to the database, so a
# logged-in page saves a query while sessions still hold across workers.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Content-Security-Policy (django-csp 4): scripts only from this site or with the
# request's nonce, never eval; nothing framed, posted or loaded elsewhere. Styles
# also allow inline `style` attributes, which Django admin's own templates write
# (a nonce in style-src would switch that off in browsers, so none there).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "media-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

CSRF_FAILURE_VIEW = "studysite.views.csrf_failure"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns at start-up when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "studysite.storage.StaticStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Served over HTTPS: secure cookies, HSTS and a redirect for plain HTTP.
HTTPS = env_bool("DJANGO_HTTPS", default=False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
