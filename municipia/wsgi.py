"""WSGI entry point (gunicorn municipia.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "municipia.settings")
os.environ.setdefault("MUNICIPIA_SERVING", "1")
application = get_wsgi_application()

# Import every view now (the URL configuration names them all), then move what start-up built out
# of the garbage collector's sight. Without this, each full collection in a worker walks the
# ~350,000 objects of Django and the libraries: measured with `gc.callbacks`, a pause of 300–400 ms
# every hundred or so requests on the country-sized data set, a cost paid by whichever request
# was running. With gunicorn's `preload_app` the workers are forked from this process after the
# freeze, so the frozen objects also stay shared between them (copy-on-write) instead of being
# touched by every collection.
get_resolver().url_patterns  # noqa: B018 (the import is the point)
gc.collect()
gc.freeze()
