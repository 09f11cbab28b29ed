"""When an action or a plan is saved, its followers' notices are queued for the worker.

A decoupled side effect (STYLE: signals only for these): the worker compares each follow's last
told state with the current one, so the signal carries nothing; it only asks for a run a few
minutes later, once per window (a cache key), so several saves make one run and one e-mail.
Without a broker (tasks run in-process) nothing is queued here: the hourly run, or
`manage.py send_partnership_mail`, sends the notices instead of the request that saved.
"""

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

FOLLOW_NOTICE_DELAY = 300  # seconds: the window in which changes are coalesced
QUEUED_KEY = "partnerships:follow-notices-queued"


def queue_follow_notices(sender: Any, instance: Any, **kwargs: Any) -> None:
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        return
    delay = int(getattr(settings, "PARTNERSHIPS_FOLLOW_NOTICE_DELAY", FOLLOW_NOTICE_DELAY))

    def queue() -> None:
        if cache.add(QUEUED_KEY, 1, timeout=delay):
            from municipia.partnerships.tasks import send_follow_notices

            send_follow_notices.apply_async(countdown=delay)

    transaction.on_commit(queue)
