"""Background jobs of the governance app (Celery; in-process without REDIS_URL)."""

from celery import shared_task

from municipia.governance import reminders


@shared_task(name="municipia.governance.tasks.send_reminders")
def send_reminders() -> dict[str, int]:
    """Sends the reminder e-mails that are due; the beat schedule runs it hourly."""
    sent = reminders.send_reminders()
    return {str(kind): len(items) for kind, items in sent.items()}
