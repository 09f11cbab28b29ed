"""Signed-in readers share the page cache (issue 15): one copy per page for every user whose rights
are a plain reader's, with each reader's own header and CSRF token put back; anyone with more
rights gets their own rendering; nothing private ever crosses over."""

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.core.cache import READER, cache_key, reader_fingerprint
from municipia.governance.tests.factories import BodyMemberFactory
from municipia.organizations.tests.factories import PersonFactory, RoleFactory, UserFactory
from municipia.portfolio.tests.factories import ProposalFactory
from municipia.strategy.tests.factories import ActionFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def action():
    return ActionFactory(title_en="Open data portal", objective__axis__plan__slug="agenda")


def signed_in(client_class, user):
    client = client_class()
    client.force_login(user)
    return client


def test_plain_readers_share_one_copy_with_their_own_header_and_token(
    client, action, django_user_model, django_assert_max_num_queries
):
    ana, jordi = UserFactory(username="ana-reader"), UserFactory(username="jordi-reader")
    url = reverse("strategy:plan-detail", args=["agenda"])
    first = signed_in(type(client), ana).get(url)
    second_client = signed_in(type(client), jordi)
    # A hit: the session, the user, the roles and the rights check, the versions; no rendering of the plan.
    with django_assert_max_num_queries(5):
        second = second_client.get(url)
    body = second.content.decode()
    assert "jordi-reader" in body and "ana-reader" not in body
    assert "ana-reader" in first.content.decode()
    assert "Open data portal" in body
    # The log-out form carries a token of Jordi's own session, not Ana's.
    tokens = TOKEN.findall(body)
    assert tokens
    jordi_secret = second_client.cookies["csrftoken"].value
    assert all(_unmask_cipher_token(token) == jordi_secret for token in tokens)
    assert all(_unmask_cipher_token(token) != first.client.cookies["csrftoken"].value for token in tokens)
    assert "\x00" not in body
    # The token works: Jordi can log out with it.
    response = second_client.post(reverse("logout"), {"csrfmiddlewaretoken": tokens[0]})
    assert response.status_code == 302


def test_signed_in_responses_stay_private_and_unstored_by_browsers(client, action):
    url = reverse("strategy:action-detail", args=[action.pk])
    for user in (UserFactory(), UserFactory()):  # a miss, then a hit
        response = signed_in(type(client), user).get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-store, private"


def test_an_editors_page_never_reaches_a_reader_and_back(client, action):
    url = reverse("strategy:plan-detail", args=["agenda"])
    edit_link = reverse("strategy:plan-update", args=["agenda"])
    editor = RoleFactory(organization=action.plan.owner).user
    assert edit_link in signed_in(type(client), editor).get(url).content.decode()
    reader_page = signed_in(type(client), UserFactory()).get(url).content.decode()
    assert edit_link not in reader_page
    # And the reader's copy, now stored, is not what the editor gets.
    assert edit_link in signed_in(type(client), editor).get(url).content.decode()


def test_private_content_is_never_served_to_a_reader(client, action):
    action.plan.is_published = False
    action.plan.save()
    editor = RoleFactory(organization=action.plan.owner).user
    editors = signed_in(type(client), editor)
    plan_url = reverse("strategy:plan-detail", args=["agenda"])
    action_url = reverse("strategy:action-detail", args=[action.pk])
    list_url = reverse("strategy:action-list") + "?search=Open"
    assert editors.get(plan_url).status_code == 200
    assert editors.get(action_url).status_code == 200
    assert "Open data portal" in editors.get(list_url).content.decode()
    reader = signed_in(type(client), UserFactory())
    assert reader.get(plan_url).status_code == 404
    assert reader.get(action_url).status_code == 404
    assert "Open data portal" not in reader.get(list_url).content.decode()


def test_a_reader_given_a_role_sees_its_rights_at_once(client, action):
    url = reverse("strategy:plan-detail", args=["agenda"])
    user = UserFactory()
    reader = signed_in(type(client), user)
    edit_link = reverse("strategy:plan-update", args=["agenda"])
    assert edit_link not in reader.get(url).content.decode()
    RoleFactory(user=user, organization=action.plan.owner)
    assert edit_link in reader.get(url).content.decode()


def test_who_counts_as_a_plain_reader(action):
    assert reader_fingerprint(UserFactory()) == READER
    person = PersonFactory(user=UserFactory())
    BodyMemberFactory(person=person)
    proposer = UserFactory()
    ProposalFactory(proposed_by=proposer)
    others = [
        RoleFactory().user,
        person.user,
        proposer,
        UserFactory(is_staff=True),
        UserFactory(is_superuser=True),
    ]
    for user in others:
        assert reader_fingerprint(user) == f"user:{user.pk}"


def test_pending_messages_bypass_the_readers_copy(rf, action):
    request = rf.get(reverse("strategy:plan-detail", args=["agenda"]))
    request.user = UserFactory()
    request.session = {}
    assert cache_key(request, readers=True) is not None
    assert cache_key(request) is None  # a view that did not opt in
    request.session = {"_messages": "[saved]"}  # the messages framework's session storage
    assert cache_key(request, readers=True) is None
    request.session = {}
    request.COOKIES["messages"] = "saved"  # its cookie storage
    assert cache_key(request, readers=True) is None


def test_api_readers_share_json_and_never_see_private_answers(action, django_assert_max_num_queries):
    url = f"/api/v1/actions/{action.pk}/"
    first, second = APIClient(), APIClient()
    first.force_authenticate(UserFactory())
    second.force_authenticate(UserFactory())
    assert first.get(url).json()["title_en"] == "Open data portal"
    with django_assert_max_num_queries(3):  # the roles and rights check, the versions
        assert second.get(url).json()["title_en"] == "Open data portal"
    # A draft plan's action: its editor reads it, a reader never does, whichever came first.
    action.plan.is_published = False
    action.plan.save()
    editor = APIClient()
    editor.force_authenticate(RoleFactory(organization=action.plan.owner).user)
    assert editor.get(url).status_code == 200
    assert first.get(url).status_code == 404
    listing = second.get(f"/api/v1/actions/?plan={action.plan.slug}")
    assert listing.status_code in (200, 400)
    if listing.status_code == 200:
        assert listing.json()["count"] == 0
    assert second.get(url)["Cache-Control"] == "no-store, private"


def test_the_browsable_api_is_not_shared_between_readers(action):
    url = f"/api/v1/actions/{action.pk}/"
    first, second = APIClient(), APIClient()
    first.force_login(UserFactory(username="ana-reader"))
    second.force_login(UserFactory(username="jordi-reader"))
    first.get(url, HTTP_ACCEPT="text/html")
    body = second.get(url, HTTP_ACCEPT="text/html").content.decode()
    assert "ana-reader" not in body


def test_plain_readers_share_the_indicator_dashboard_but_an_editor_does_not(
    client, action, django_assert_max_num_queries
):
    plan = action.plan
    url = reverse("indicators:plan-dashboard", args=[plan.slug])
    signed_in(type(client), UserFactory(username="ana-reader")).get(url)
    jordi = signed_in(type(client), UserFactory(username="jordi-reader"))
    with django_assert_max_num_queries(5):  # session, user, roles, rights, versions: the shared copy
        body = jordi.get(url).content.decode()
    assert "jordi-reader" in body and "ana-reader" not in body
    editor = signed_in(type(client), RoleFactory(organization=plan.owner, user__username="eva-editor").user)
    page = editor.get(url).content.decode()
    assert "eva-editor" in page and "jordi-reader" not in page


def test_a_readers_kept_menu_follows_their_name_and_carries_each_sessions_token(client, action):
    url = reverse("strategy:plan-detail", args=["agenda"])
    signed_in(type(client), UserFactory(username="ana-reader")).get(url)  # the readers' copy exists
    marta = UserFactory(username="marta-reader")
    at_home, at_work = signed_in(type(client), marta), signed_in(type(client), marta)
    for browser in (at_home, at_work, at_home):  # the second and third read the kept menu
        body = browser.get(url).content.decode()
        assert "marta-reader" in body
        tokens = TOKEN.findall(body)
        assert tokens and all(_unmask_cipher_token(t) == browser.cookies["csrftoken"].value for t in tokens)
    marta.username = "marta-i-reader"
    marta.save()
    assert "marta-i-reader" in at_work.get(url).content.decode()
