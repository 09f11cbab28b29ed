"""Who may see a report job: whoever may see its plan (the same rule as the plan's page)."""

import rules

from municipia.strategy.permissions import can_view


@rules.predicate
def may_view_job_plan(user, job) -> bool:
    return job is not None and can_view.test(user, job.plan)


rules.add_perm("reports.view_reportjob", may_view_job_plan)
