"""Background jobs of the diagnosis app (Celery with REDIS_URL; run in-process without it)."""

from celery import shared_task

from municipia.diagnosis import results
from municipia.diagnosis.models import Campaign


@shared_task(name="municipia.diagnosis.tasks.compute_campaign_results")
def compute_campaign_results(campaign_id: int) -> int:
    """Computes and stores a campaign's current results; returns the number of responses analysed.

    Queued by the results page (`results.snapshot_request`, at most one per campaign at a time)
    when a large campaign's stored results are stale. A campaign deleted meanwhile is skipped.
    """
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    return results.snapshot_compute(campaign).responses
