"""Partnerships: agreements and their commitments, verified information and news."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from municipia.core.sections import register_section


class PartnershipsConfig(AppConfig):
    name = "municipia.partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        # Registers this app's `rules` permissions (the entities register the `view_*` ones).
        from municipia.core.sections import register_linked_work, register_work
        from municipia.partnerships import permissions  # noqa: F401
        from municipia.partnerships.selectors import (
            action_commitment_counts,
            action_commitments_section,
            linked_sections,
            my_work_commitments,
        )

        # The action page shows the commitments it serves; plan and organisation pages their
        # agreements, news and clarifications (core.sections: strategy never imports this app).
        register_section("action", "partnerships", action_commitments_section)
        register_section("plan", "partnerships", linked_sections)
        register_section("organization", "partnerships", linked_sections)
        # Finishing the work linked to an action offers to move it (strategy.selectors.finished_work).
        register_linked_work("partnerships", action_commitment_counts)
        register_work("partnerships", my_work_commitments)

        # Following actions and plans: the button on their pages, the list on "My work", and
        # the followers' notices queued when either is saved.
        from django.db.models.signals import post_save

        from municipia.partnerships.selectors import follow_section, my_work_follows
        from municipia.partnerships.signals import queue_follow_notices
        from municipia.strategy.models import Action, Plan

        register_section("action", "partnerships-follow", follow_section)
        register_section("plan", "partnerships-follow", follow_section)
        register_work("partnerships-follow", my_work_follows)
        post_save.connect(queue_follow_notices, sender=Action, dispatch_uid="partnerships-follow-action")
        post_save.connect(queue_follow_notices, sender=Plan, dispatch_uid="partnerships-follow-plan")

        # A follower's action and plan pages say "Following": their own, so followers do not
        # share the signed-in readers' copy of those pages (core.cache).
        from municipia.core.cache import register_reader_rights
        from municipia.partnerships.choices import SubscriptionKind
        from municipia.partnerships.models import Subscription

        register_reader_rights(lambda user: Subscription.objects.filter(user_id=user.pk, kind=SubscriptionKind.FOLLOW))
