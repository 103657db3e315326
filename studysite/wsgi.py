"""WSGI entry point (gunicorn studysite.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studysite.settings")
application = get_wsgi_application()
