"""Production settings for a gunicorn the tests start, with static files found in place (collectstatic takes
most of a minute and is not what these tests are about)."""

from config.settings import *  # noqa: F403

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
# Plain http on loopback, as behind the TLS proxy: cookies must come back without https.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
