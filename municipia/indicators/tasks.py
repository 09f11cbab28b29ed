"""Background jobs of the indicators app (Celery; in-process without REDIS_URL)."""

from celery import shared_task

from municipia.indicators import reminders


@shared_task(name="municipia.indicators.tasks.send_indicator_reminders")
def send_indicator_reminders() -> int:
    """E-mails owners about stale indicator values; the beat schedule runs it daily."""
    return len(reminders.send_indicator_reminders())
