"""Every partnerships write route (pages and API) × every role: no one writes where they don't belong.

Each request carries valid data, so only the permission system can stop it; a database
fingerprint (row and history counts) shows whether anything was written. Agreements and what
they hold are their parties' editors'; clarifications and news their publisher's; following is
anyone's who may see the plan or action; the newsletter's links act by their signed token alone.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from municipia.core.tests.matrix import (
    api_client,
    assert_api_outcome,
    assert_page_outcome,
    fingerprint,
    module_world,
    signed_in,
)
from municipia.organizations.tests.factories import OrganizationFactory, PartnerFactory, RoleFactory, UserFactory
from municipia.partnerships import mail, services
from municipia.partnerships.choices import ClarificationStatus
from municipia.partnerships.tests.factories import (
    PDF_BYTES,
    AgreementFactory,
    ClarificationFactory,
    CommitmentFactory,
    NewsPostFactory,
    SubscriptionFactory,
)
from municipia.strategy.choices import PlanStatus
from municipia.strategy.tests.factories import ActionFactory, PlanFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "plain user", "other council's editor", "own editor", "site admin"]
EDITORS = {"own editor", "site admin"}
SIGNED_IN = {"plain user", "other council's editor", "own editor", "site admin"}
EVERYONE = {"anonymous", *SIGNED_IN}

TRACKED = [
    "partnerships.Agreement",
    "partnerships.Signatory",
    "partnerships.AgreementDocument",
    "partnerships.Commitment",
    "partnerships.Clarification",
    "partnerships.NewsPost",
    "partnerships.Subscription",
    "partnerships.NewsletterSend",
    "strategy.Action",
]


def state() -> tuple:
    from municipia.partnerships.models import Clarification, Subscription
    from municipia.strategy.models import Action

    return (
        *fingerprint(TRACKED),
        Clarification.objects.filter(status=ClarificationStatus.PUBLISHED).count(),
        Subscription.objects.filter(confirmed_at__isnull=False).count(),
        Action.objects.filter(progress=100).count(),
    )


def _build() -> dict:
    council = OrganizationFactory(slug="own-council")
    users = {
        "anonymous": None,
        "plain user": UserFactory(),
        "other council's editor": RoleFactory(organization=OrganizationFactory()).user,
        "own editor": RoleFactory(organization=council).user,
        "site admin": UserFactory(is_superuser=True, is_staff=True),
    }
    partner = PartnerFactory(slug="partner-university")
    agreement = AgreementFactory(owner=council, slug="own-agreement", is_public=True)
    plan = PlanFactory(owner=council, status=PlanStatus.APPROVED, is_published=True, slug="own-plan")
    draft_plan = PlanFactory(owner=council, is_published=False, slug="own-draft-plan")
    action = ActionFactory(plan=plan, objective__axis__plan=plan, progress=40)
    followed_plan = PlanFactory(owner=council, is_published=True, slug="followed-plan")
    followed_action = ActionFactory(plan=followed_plan, objective__axis__plan=followed_plan)
    author = RoleFactory(organization=council).user
    draft = ClarificationFactory(
        publisher=council, slug="own-draft", status=ClarificationStatus.DRAFT, published_at=None, author=author
    )
    # Everyone signed in already follows the second plan and its action (so that they may stop).
    follows = {}
    for role, user in users.items():
        if user is not None:
            follows[role] = services.follow_create(acting_user=user, language="en", action=followed_action)
            services.follow_create(acting_user=user, language="en", plan=followed_plan)
    pending = SubscriptionFactory(confirmed_at=None)
    confirmed = SubscriptionFactory()
    return {
        "council": council,
        "partner": partner,
        "agreement": agreement,
        "commitment": CommitmentFactory(agreement=agreement),
        "plan": plan,
        "draft_plan": draft_plan,
        "action": action,
        "followed_plan": followed_plan,
        "followed_action": followed_action,
        "draft": draft,
        "news": NewsPostFactory(organization=council, slug="own-news"),
        "pending": pending,
        "confirmed": confirmed,
        "users": users,
        "admin_follow": follows["site admin"],
    }


world = module_world(_build)


def url(name: str, *args) -> str:
    return reverse(f"partnerships:{name}", args=args)


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("signed.pdf", PDF_BYTES, content_type="application/pdf")


def _texts(field: str, value: str) -> dict:
    return {f"{field}_en": value, f"{field}_es": "", f"{field}_ca": "", f"{field}_bg": ""}


CLARIFICATION_DATA = {
    **_texts("title", "Are online certificates paid?"),
    **_texts("claim", "Online certificates cost money."),
    **_texts("facts", "They are free."),
    "claim_author": "A post",
    "claim_seen_at": "Social media",
    "claim_first_seen": "2024-03-01",
    "verdict": "false",
    "sources": "https://example.org/fees",
}

# name → (who may, url(world), data(world))
PAGE_ROUTES = {
    "agreement-create": (
        EDITORS,
        lambda w: url("agreement-create", w["council"].slug),
        lambda w: {**_texts("title", "Convenio"), "kind": "convenio", "parties": [w["partner"].pk]},
    ),
    "signatory-create": (
        EDITORS,
        lambda w: url("signatory-create", w["agreement"].slug),
        lambda w: {
            "person_name": "The mayor",
            "position": "Mayor",
            "organization": w["council"].pk,
            "signed_on": "2022-07-26",
        },
    ),
    "commitment-create": (
        EDITORS,
        lambda w: url("commitment-create", w["agreement"].slug),
        lambda w: {
            **_texts("deliverable", "A study"),
            "party": w["council"].pk,
            "due_date": "2023-06-30",
            "status": "pending",
        },
    ),
    "agreementdocument-create": (
        EDITORS,
        lambda w: url("agreementdocument-create", w["agreement"].slug),
        lambda w: {"title": "Signed text", "file": _pdf()},
    ),
    "action-complete": (EDITORS, lambda w: url("action-complete", w["action"].pk), lambda w: {}),
    "clarification-create": (
        EDITORS,
        lambda w: url("clarification-create", w["council"].slug),
        lambda w: CLARIFICATION_DATA,
    ),
    # Four eyes: the world's draft was written by another editor of the council.
    "clarification-publish": (EDITORS, lambda w: url("clarification-publish", w["draft"].slug), lambda w: {}),
    "newspost-create": (
        EDITORS,
        lambda w: url("newspost-create", w["council"].slug),
        lambda w: {**_texts("title", "Signed"), **_texts("summary", "We signed."), "status": "published"},
    ),
    "newsletter-send-list": ({"site admin"}, lambda w: url("newsletter-send-list"), lambda w: {}),
    # Anyone may ask for the newsletter (a pending subscription, confirmed by e-mail).
    "subscribe": (EVERYONE, lambda w: url("subscribe"), lambda w: {"email": "new@example.org", "language": "en"}),
    # Following what one may see: signed-in readers with one button, visitors by e-mail (pending).
    "follow-action": (
        EVERYONE,
        lambda w: url("follow-action", w["action"].pk),
        lambda w: {"email": "visitor@example.org", "language": "en"},
    ),
    "follow-plan": (
        EVERYONE,
        lambda w: url("follow-plan", w["plan"].slug),
        lambda w: {"email": "visitor@example.org", "language": "en"},
    ),
    "follow-plan@unpublished": (
        EDITORS,
        lambda w: url("follow-plan", w["draft_plan"].slug),
        lambda w: {"email": "visitor@example.org", "language": "en"},
    ),
    "unfollow-action": (SIGNED_IN, lambda w: url("unfollow-action", w["followed_action"].pk), lambda w: {}),
    "unfollow-plan": (SIGNED_IN, lambda w: url("unfollow-plan", w["followed_plan"].slug), lambda w: {}),
}

# A visitor's "stop following" sends them back to the page: their e-mails carry the signed link.
SENT_BACK = {"unfollow-action", "unfollow-plan"}
# A visitor is told "not found" for a plan they may not see, rather than asked to sign in.
NOT_FOUND_FOR_VISITORS = {"follow-plan@unpublished"}
# The editors of the own council follow the unpublished plan (a new subscription), as visitors could not.


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", PAGE_ROUTES)
def test_page_write_route_by_role(client, world, route, role):
    allowed, url_of, data_of = PAGE_ROUTES[route]
    user = world["users"][role]
    signed_in(client, user)
    before = state()
    response = client.post(url_of(world), data_of(world))
    changed = state() != before
    case = (route, role)
    if role not in allowed and user is None and route in SENT_BACK | NOT_FOUND_FOR_VISITORS:
        assert not changed, case
        expected = 302 if route in SENT_BACK else 404
        assert response.status_code == expected, case
        if expected == 302:
            assert "/accounts/login/" not in response["Location"], case
        return
    assert_page_outcome(response, allowed=role in allowed, anonymous=user is None, changed=changed, case=case)


# name → (who may, method, url(world), data(world))
API_ROUTES = {
    "agreements-create": (
        EDITORS,
        "post",
        lambda w: "/api/v1/agreements/",
        lambda w: {"owner": w["council"].slug, "title_en": "Convenio", "kind": "convenio"},
    ),
    "agreements-update": (
        EDITORS,
        "patch",
        lambda w: f"/api/v1/agreements/{w['agreement'].slug}/",
        lambda w: {"title_en": "Renamed"},
    ),
    "agreements-delete": (EDITORS, "delete", lambda w: f"/api/v1/agreements/{w['agreement'].slug}/", lambda w: None),
    "commitments-create": (
        EDITORS,
        "post",
        lambda w: "/api/v1/commitments/",
        lambda w: {
            "agreement": w["agreement"].slug,
            "party": w["council"].slug,
            "deliverable_en": "Study",
            "due_date": "2023-01-01",
        },
    ),
    "commitments-update": (
        EDITORS,
        "patch",
        lambda w: f"/api/v1/commitments/{w['commitment'].pk}/",
        lambda w: {"evidence": "https://example.org/report"},
    ),
    "commitments-delete": (
        EDITORS,
        "delete",
        lambda w: f"/api/v1/commitments/{w['commitment'].pk}/",
        lambda w: None,
    ),
    "clarifications-create": (
        EDITORS,
        "post",
        lambda w: "/api/v1/clarifications/",
        lambda w: {
            "publisher": w["council"].slug,
            "title_en": "Fees",
            "claim_en": "Online certificates cost money.",
            "verdict": "false",
            "facts_en": "They are free.",
            "sources": "https://example.org/fees",
        },
    ),
    "clarifications-update": (
        EDITORS,
        "patch",
        lambda w: f"/api/v1/clarifications/{w['draft'].slug}/",
        lambda w: {"facts_en": "They are free, and always were."},
    ),
    "clarifications-delete": (
        EDITORS,
        "delete",
        lambda w: f"/api/v1/clarifications/{w['draft'].slug}/",
        lambda w: None,
    ),
    "clarifications-publish": (
        EDITORS,
        "post",
        lambda w: f"/api/v1/clarifications/{w['draft'].slug}/publish/",
        lambda w: {},
    ),
    "news-create": (
        EDITORS,
        "post",
        lambda w: "/api/v1/news/",
        lambda w: {"organization": w["council"].slug, "title_en": "Signed", "status": "published"},
    ),
    "news-update": (EDITORS, "patch", lambda w: f"/api/v1/news/{w['news'].slug}/", lambda w: {"title_en": "Renamed"}),
    "news-delete": (EDITORS, "delete", lambda w: f"/api/v1/news/{w['news'].slug}/", lambda w: None),
    "newsletter-sends-create": ({"site admin"}, "post", lambda w: "/api/v1/newsletter-sends/", lambda w: {}),
    # Follows are the caller's own: anyone signed in follows what they see; only its owner (here
    # the site administrator's own follow) stops one, another user's id answers 404.
    "follows-create": (SIGNED_IN, "post", lambda w: "/api/v1/follows/", lambda w: {"action": w["action"].pk}),
    "follows-delete": (
        {"site admin"},
        "delete",
        lambda w: f"/api/v1/follows/{w['admin_follow'].pk}/",
        lambda w: None,
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", API_ROUTES)
def test_api_write_route_by_role(world, route, role):
    allowed, method, url_of, data_of = API_ROUTES[route]
    before = state()
    response = getattr(api_client(world["users"][role]), method)(url_of(world), data_of(world), format="json")
    assert_api_outcome(response, allowed=role in allowed, changed=state() != before, case=(route, role))


# The newsletter's links act by their signed token, whoever follows them: name → token(world, case).
TOKEN_CASES = ["valid", "tampered", "for the other link"]
INVITATION_ROUTES = {
    "subscription-confirm": lambda w, case: {
        "valid": mail.confirm_token(w["pending"]),
        "tampered": mail.confirm_token(w["pending"])[:-2] + "xx",
        "for the other link": mail.unsubscribe_token(w["pending"]),
    }[case],
    "subscription-cancel": lambda w, case: {
        "valid": mail.unsubscribe_token(w["confirmed"]),
        "tampered": mail.unsubscribe_token(w["confirmed"])[:-2] + "xx",
        "for the other link": mail.confirm_token(w["confirmed"]),
    }[case],
}


@pytest.mark.parametrize("case", TOKEN_CASES)
@pytest.mark.parametrize("route", INVITATION_ROUTES)
def test_newsletter_link_by_token(client, world, route, case):
    before = state()
    response = client.post(url(route, INVITATION_ROUTES[route](world, case)))
    changed = state() != before
    if case == "valid":
        assert response.status_code == 200 and changed, (route, case, response.status_code)
    else:
        assert response.status_code == 400 and not changed, (route, case, response.status_code)
