"""A campaign's results on its public page, by its owner's choice (`Campaign.results_public`),
and the list of open consultations.

Aggregates only, computed as on the results page (`results.campaign_results`: weighted when the
campaign has population margins), with small cells suppressed: a question answered by fewer than
DIAGNOSIS_PUBLIC_MIN_CELL people (5 by default) is not shown, nor an answer chosen by fewer than that.
Text answers, cross-tabs and the responses themselves are never public.

Both are public by the campaign's own settings (a published result, a public link that anyone
may open), not through the campaign's visibility rule, which keeps the campaign itself, its
responses and its full results for its owner's editors.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from municipia.diagnosis import results
from municipia.diagnosis.choices import Access, CampaignStatus
from municipia.diagnosis.models import Campaign

DEFAULT_MIN_CELL = 5


def min_cell() -> int:
    return max(1, int(getattr(settings, "DIAGNOSIS_PUBLIC_MIN_CELL", DEFAULT_MIN_CELL)))


def published_campaign(*, slug: str) -> Campaign:
    """A campaign whose owner published its results; Http404 otherwise."""
    campaign = Campaign.objects.select_related("owner", "plan").filter(slug=slug, results_public=True).first()
    if campaign is None or campaign.status == CampaignStatus.DRAFT:
        raise Http404
    return campaign


def open_consultations() -> QuerySet[Campaign]:
    """Public-link campaigns accepting answers now, and closed ones with published results, newest first."""
    now = timezone.now()
    accepting = (
        Q(access=Access.PUBLIC_LINK, status=CampaignStatus.OPEN)
        & (Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        & (Q(closes_at__isnull=True) | Q(closes_at__gt=now))
    )
    published = Q(results_public=True) & ~Q(status=CampaignStatus.DRAFT)
    return (
        Campaign.objects.filter(accepting | published)
        .select_related("owner")
        .annotate(response_count=Count("responses"))
        .order_by("-opens_at", "-id")
    )


@dataclass
class PublicRow:
    label: str
    percent: float | None  # None: suppressed (fewer than the threshold chose it)


@dataclass
class PublicQuestion:
    code: str
    text: str
    answered: int
    rows: list[PublicRow] = field(default_factory=list)
    mean: float | None = None
    suppressed_rows: int = 0


@dataclass
class PublicResults:
    campaign: Campaign
    responses: int
    weighted: bool
    threshold: int
    questions: list[PublicQuestion]
    #: Questions left out because fewer than the threshold answered them.
    suppressed_questions: int = 0


def public_results(campaign: Campaign) -> PublicResults:
    """The published aggregates of `campaign`, with small cells suppressed."""
    computed = results.campaign_results(campaign)
    threshold = min_cell()
    weighted = bool(computed.weighting and computed.weighting.applied)
    shown: list[PublicQuestion] = []
    suppressed = 0
    for question in results.campaign_questions(campaign):
        result = computed.questions.get(question.code)
        if result is None or (result.frequencies is None and result.mean is None):
            continue  # text, matrix and ranking questions are not published
        if result.answered < threshold:
            suppressed += 1
            continue
        item = PublicQuestion(question.code, question.text, result.answered)
        if result.frequencies is not None:
            labels = {option.code: option.label for option in question.options.all() if not option.is_row}
            for row in result.frequencies.rows:
                hidden = row.count < threshold
                item.suppressed_rows += int(hidden)
                percent = row.weighted_percent if weighted else row.percent
                label = labels.get(str(row.option)) or str(row.option)
                item.rows.append(PublicRow(label, None if hidden else percent))
        else:
            estimate = result.weighted_mean if weighted and result.weighted_mean is not None else result.mean
            item.mean = estimate.mean if estimate is not None else None
        shown.append(item)
    return PublicResults(campaign, computed.responses, weighted, threshold, shown, suppressed)
