"""Background jobs of partnerships (Celery; in-process without REDIS_URL)."""

from celery import shared_task

from municipia.partnerships import follows, mail
from municipia.partnerships.models import NewsletterSend


@shared_task(name="municipia.partnerships.tasks.send_partnership_mail")
def send_partnership_mail() -> dict[str, int]:
    """Reminders of commitments and agreements, the news digests (as a recorded send), then the
    followers' notices; the beat schedule runs it daily."""
    reminders = mail.send_reminders()
    send = mail.run_newsletter_send(NewsletterSend.objects.create())
    notices = follows.send_follow_notices()
    return {"reminders": len(reminders), "digests": send.sent, "subscriptions": send.processed, "notices": notices.sent}


@shared_task(name="municipia.partnerships.tasks.send_newsletter")
def send_newsletter(send_id: int) -> dict[str, int]:
    """One queued newsletter send, in batches; a send already started or finished is left alone."""
    send = NewsletterSend.objects.filter(pk=send_id).first()
    if send is None:
        return {"sent": 0}
    send = mail.run_newsletter_send(send)
    return {"sent": send.sent, "failed": send.failed}


@shared_task(name="municipia.partnerships.tasks.send_follow_notices")
def send_follow_notices() -> dict[str, int]:
    """Tells the followers of actions and plans what changed; queued after saves (coalesced) and hourly."""
    run = follows.send_follow_notices()
    return {"follows": run.follows, "sent": run.sent, "failed": run.failed}
