"""Who may see a report job and its file.

A job is seen by whoever may see its subject (the plan; or the indicator, networks being
public), like the page the report comes from. A job asked for by a signed-in user is rendered
with what that user may see (private indicators included), so it is further limited to that
user and site admins; a job asked for anonymously holds only public content.
"""

import rules

from municipia.indicators.permissions import can_view as can_view_indicator
from municipia.organizations.permissions import is_site_admin
from municipia.strategy.permissions import can_view as can_view_plan


@rules.predicate
def may_view_job_subject(user, job) -> bool:
    if job is None:
        return False
    if job.is_benchmark:
        return can_view_indicator.test(user, job.indicator)
    return can_view_plan.test(user, job.plan)


@rules.predicate
def is_requester_or_public_job(user, job) -> bool:
    if job is None:
        return False
    if job.requested_by_id is None:
        return True
    return user.is_authenticated and user.pk == job.requested_by_id


rules.add_perm("reports.view_reportjob", may_view_job_subject & (is_requester_or_public_job | is_site_admin))
