"""Municipia: digital-transformation strategies of councils and networks, end to end."""

from municipia.celery import app as celery_app

__all__ = ["celery_app"]
