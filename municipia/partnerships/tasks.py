"""Background jobs of partnerships (Celery; in-process without REDIS_URL)."""

from celery import shared_task

from municipia.partnerships import mail


@shared_task(name="municipia.partnerships.tasks.send_partnership_mail")
def send_partnership_mail() -> dict[str, int]:
    """Reminders of commitments and agreements, then the news digests; the beat schedule runs it daily."""
    reminders = mail.send_reminders()
    digests = mail.send_news_digests()
    return {"reminders": len(reminders), "digests": digests.sent, "subscriptions": digests.subscriptions}
