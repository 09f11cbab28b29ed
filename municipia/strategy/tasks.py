"""Background jobs of the strategy app (Celery; in-process without REDIS_URL)."""

from celery import shared_task

from municipia.strategy import reminders


@shared_task(name="municipia.strategy.tasks.send_action_digests")
def send_action_digests() -> int:
    """E-mails each lead the actions needing their update; the beat schedule runs it weekly."""
    return len(reminders.send_action_digests())
