"""Two simultaneous submissions with one invitation token make exactly one response.

Each thread has its own database connection and transaction (transactional test), and both
threads are released together at the point of submitting, so the invitation is claimed by two
transactions at once: the conditional UPDATE lets one of them through; on a named campaign the
unique constraint on the response's invitation backs it up.
"""

import threading

import pytest
from django.db import connection, connections

from municipia.diagnosis import services
from municipia.diagnosis.choices import Access, RefusalReason
from municipia.diagnosis.models import Invitation, RefusedSubmission, Response
from municipia.diagnosis.selectors import questionnaire_structure
from municipia.diagnosis.tests.factories import VALID_ANSWERS, CampaignFactory, InvitationFactory, build_questionnaire


def _race(invitation_pk: int, questionnaire, workers: int = 2) -> list[str]:
    barrier = threading.Barrier(workers)
    outcomes: list[str] = []
    lock = threading.Lock()

    def submit():
        try:
            invitation = Invitation.objects.select_related("campaign__questionnaire").get(pk=invitation_pk)
            structure = questionnaire_structure(invitation.campaign.questionnaire)
            barrier.wait(timeout=10)
            try:
                services.response_submit(invitation=invitation, answers=VALID_ANSWERS, structure=structure)
                outcome = "created"
            except services.SubmissionRefused as exc:
                outcome = exc.reason
            except Exception as exc:  # SQLite may report the other writer's lock as an error
                outcome = f"error: {exc}"
            with lock:
                outcomes.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("anonymous", [True, False])
def test_two_simultaneous_submissions_with_one_token_make_one_response(anonymous):
    # SQLite (the tests' shared in-memory database) serialises writers and reports a second
    # writer as a lock error rather than waiting; the race is run for real on PostgreSQL.
    threads = 2 if connection.vendor == "postgresql" else 1
    campaign = CampaignFactory(questionnaire=build_questionnaire(), access=Access.INVITATION, is_anonymous=anonymous)
    invitation = InvitationFactory(campaign=campaign)
    outcomes = _race(invitation.pk, campaign.questionnaire, workers=threads)
    assert outcomes.count("created") == 1, outcomes
    assert Response.objects.filter(campaign=campaign).count() == 1
    refused = [o for o in outcomes if o != "created"]
    assert all(o == RefusalReason.TOKEN_USED or o.startswith("error") for o in refused), outcomes
    invitation.refresh_from_db()
    assert invitation.is_used
    if threads == 2 and connection.vendor == "postgresql":
        assert refused == [RefusalReason.TOKEN_USED]
        assert RefusedSubmission.objects.filter(reason=RefusalReason.TOKEN_USED).count() == 1
