"""Agreements, their signatories, documents and commitments, clarifications and news, each declared once.

Who sees what (core.visibility; site administrators see everything):

- an agreement, and all it holds: everyone when it is public, otherwise the editors of its parties;
- a clarification: everyone once published, otherwise the editors of its publisher;
- a news post: everyone once published (or scheduled and its time has come, computed at read
  time), otherwise the editors of its organisation;
- a newsletter subscription (an e-mail address): nobody but site administrators; its owner
  manages it through the signed links e-mailed to the address.
"""

from __future__ import annotations

from django.db.models import Model, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipia.core.entities import Entity, register
from municipia.core.search import searchable
from municipia.core.visibility import Among, Custom, Is, Never, Rule, User
from municipia.organizations.permissions import editable_organization_ids
from municipia.partnerships.choices import ClarificationStatus, NewsStatus
from municipia.partnerships.models import (
    Agreement,
    AgreementDocument,
    Clarification,
    Commitment,
    NewsPost,
    Signatory,
    Subscription,
)

SERVICES = "municipia.partnerships.services"
FORMS = "municipia.partnerships.forms"


def _of_agreement(path: str) -> Rule:
    """The agreement rule, for an object that reaches its agreement through `path` ("" for one itself)."""
    prefix = f"{path}__" if path else ""
    return Is(f"{prefix}is_public") | Among(f"{prefix}parties__id", editable_organization_ids, many=True)


def _news_is_live_q(user: User) -> Q:
    return Q(publish_at__lte=timezone.now()) & ~Q(status=NewsStatus.DRAFT)


def _news_is_live(user: User, post: Model) -> bool:
    return isinstance(post, NewsPost) and post.is_live


def _agreement_page(obj: Model) -> str:
    """The page of the agreement a signatory, commitment or document belongs to."""
    return getattr(obj, "agreement").get_absolute_url()  # noqa: B009 - any of three models


AGREEMENT = register(
    Entity(
        model=Agreement,
        visibility=_of_agreement(""),
        parent="owner",
        fields=(
            "kind",
            "title",
            "slug",
            "scope",
            "signed_on",
            "in_force_from",
            "expires_on",
            "renewal_note",
            "is_public",
        ),
        translated=("title", "scope"),
        links=("parties",),
        create=f"{SERVICES}.agreement_create",
        update=f"{SERVICES}.agreement_update",
        delete=f"{SERVICES}.agreement_delete",
        lookup="slug",
        select_related=("owner",),
        titles=(_("New agreement"), _("Edit agreement")),
        messages=(_("Agreement created."), _("Agreement saved."), _("Agreement deleted.")),
        form=f"{FORMS}.AgreementForm",
        after_delete=lambda agreement: reverse("partnerships:agreement-list"),
        export_fields=("slug", "kind", "title", "signed_on", "in_force_from", "expires_on", "is_public"),
    )
)

SIGNATORY = register(
    Entity(
        model=Signatory,
        visibility=_of_agreement("agreement"),
        parent="agreement",
        fields=("person_name", "position", "organization", "signed_on"),
        translated=("position",),
        create=f"{SERVICES}.signatory_create",
        update=f"{SERVICES}.signatory_update",
        delete=f"{SERVICES}.signatory_delete",
        select_related=("agreement__owner", "organization"),
        titles=(_("New signatory"), _("Edit signatory")),
        form=f"{FORMS}.SignatoryForm",
        after_save=_agreement_page,
    )
)

DOCUMENT = register(
    Entity(
        model=AgreementDocument,
        visibility=_of_agreement("agreement"),
        parent="agreement",
        fields=("title", "file"),
        create=f"{SERVICES}.document_create",
        update=f"{SERVICES}.document_update",
        delete=f"{SERVICES}.document_delete",
        object_arg="document",
        select_related=("agreement__owner",),
        titles=(_("New document"), _("Edit document")),
        form=f"{FORMS}.DocumentForm",
        after_save=_agreement_page,
    )
)

COMMITMENT = register(
    Entity(
        model=Commitment,
        visibility=_of_agreement("agreement"),
        parent="agreement",
        fields=("party", "deliverable", "due_date", "status", "evidence"),
        translated=("deliverable",),
        links=("actions", "tasks", "meetings", "campaigns"),
        create=f"{SERVICES}.commitment_create",
        update=f"{SERVICES}.commitment_update",
        delete=f"{SERVICES}.commitment_delete",
        select_related=("agreement__owner", "party"),
        titles=(_("New commitment"), _("Edit commitment")),
        form=f"{FORMS}.CommitmentForm",
        after_save=_agreement_page,
    )
)

CLARIFICATION = register(
    Entity(
        model=Clarification,
        visibility=Is("status", ClarificationStatus.PUBLISHED) | Among("publisher_id", editable_organization_ids),
        parent="publisher",
        fields=(
            "title",
            "slug",
            "claim",
            "claim_author",
            "claim_seen_at",
            "claim_url",
            "claim_first_seen",
            "verdict",
            "facts",
            "sources",
            "correction_note",
            "is_demo",
        ),
        translated=("title", "claim", "facts"),
        links=("plans", "actions"),
        create=f"{SERVICES}.clarification_create",
        update=f"{SERVICES}.clarification_update",
        delete=f"{SERVICES}.clarification_delete",
        lookup="slug",
        select_related=("publisher", "author", "reviewer"),
        titles=(_("New clarification"), _("Edit clarification")),
        form=f"{FORMS}.ClarificationForm",
        after_delete=lambda clarification: reverse("partnerships:clarification-list"),
    )
)

NEWS_POST = register(
    Entity(
        model=NewsPost,
        visibility=Custom(q=_news_is_live_q, test=_news_is_live) | Among("organization_id", editable_organization_ids),
        parent="organization",
        fields=("title", "slug", "summary", "body", "status", "publish_at", "image", "image_alt", "is_demo"),
        translated=("title", "summary", "body", "image_alt"),
        links=("plans", "actions", "agreements", "meetings"),
        create=f"{SERVICES}.news_post_create",
        update=f"{SERVICES}.news_post_update",
        delete=f"{SERVICES}.news_post_delete",
        object_arg="post",
        lookup="slug",
        select_related=("organization",),
        titles=(_("New news post"), _("Edit news post")),
        form=f"{FORMS}.NewsPostForm",
        after_delete=lambda post: reverse("partnerships:newspost-list"),
    )
)

SUBSCRIPTION = register(
    Entity(
        model=Subscription,
        # Nobody but site administrators, whom core.visibility lets see everything.
        visibility=Never(),
        fields=("email", "language", "plan", "organization", "confirmed_at"),
        create=f"{SERVICES}.subscription_create",
        update=f"{SERVICES}.subscription_update",
        delete=f"{SERVICES}.subscription_delete",
        select_related=("plan", "organization"),
    )
)

searchable(NewsPost, kind="news", title=("title",), body=("summary", "body"), label=_("News"))
