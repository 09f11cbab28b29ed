"""schema.org `ClaimReview` of a published clarification, as fact-check readers require it.

Properties: url, claimReviewed, datePublished, author (the publisher), reviewRating (ratingValue
on the documented scale, bestRating, worstRating, alternateName = the verdict's name) and
itemReviewed: the Claim with its author, datePublished (first seen) and appearance/firstAppearance.
"""

from typing import Any

from django.http import HttpRequest

from municipia.partnerships.choices import BEST_RATING, VERDICT_RATINGS, WORST_RATING, Verdict
from municipia.partnerships.models import Clarification


def claim_review(clarification: Clarification, request: HttpRequest) -> dict[str, Any]:
    publisher = clarification.publisher
    appearance: dict[str, Any] = {"@type": "CreativeWork"}
    if clarification.claim_url:
        appearance["url"] = clarification.claim_url
    if clarification.claim_seen_at:
        appearance["name"] = clarification.claim_seen_at
    claim: dict[str, Any] = {
        "@type": "Claim",
        "author": {"@type": "Person", "name": clarification.claim_author or clarification.claim_seen_at or "—"},
        "appearance": appearance,
        "firstAppearance": appearance,
    }
    if clarification.claim_first_seen:
        claim["datePublished"] = clarification.claim_first_seen.isoformat()
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": request.build_absolute_uri(clarification.get_absolute_url()),
        "claimReviewed": clarification.claim,
        "datePublished": (clarification.published_at or clarification.created_at).date().isoformat(),
        "author": {
            "@type": "Organization",
            "name": publisher.name,
            "url": request.build_absolute_uri(publisher.get_absolute_url()),
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": VERDICT_RATINGS[clarification.verdict],
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": str(Verdict(clarification.verdict).label),
        },
        "itemReviewed": claim,
        "inLanguage": getattr(request, "LANGUAGE_CODE", "en"),
    }
    if clarification.corrected_at:
        review["dateModified"] = clarification.corrected_at.date().isoformat()
    return review
