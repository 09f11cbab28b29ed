"""WSGI entry point (gunicorn municipia.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "municipia.settings")
os.environ.setdefault("MUNICIPIA_SERVING", "1")
application = get_wsgi_application()
