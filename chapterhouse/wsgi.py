import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chapterhouse.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402 (after the settings module is chosen)

# Issue 10: without DEBUG, a server must know its public address for the links it emails.
if not settings.SITE_URL:
    raise ImproperlyConfigured(settings.SITE_URL_MISSING)
