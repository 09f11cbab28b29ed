"""Celery application; used only when REDIS_URL is set (otherwise tasks run in-process)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "municipia.settings")

app = Celery("municipia")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
