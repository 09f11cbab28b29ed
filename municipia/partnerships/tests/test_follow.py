"""Following an action or a plan: the button, double opt-in for visitors, one e-mail per change, sent once."""

import pytest
from django.core import mail as outbox
from django.urls import reverse

from municipia.organizations.tests.factories import RoleFactory, UserFactory
from municipia.partnerships import follows, services
from municipia.partnerships.models import MailSent, Subscription
from municipia.strategy import services as strategy_services
from municipia.strategy.choices import ActionStatus, PlanStatus
from municipia.strategy.tests.factories import ActionFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def action():
    plan = PlanFactory(is_published=True, slug="open-plan", title_en="Open plan")
    return ActionFactory(objective__axis__plan=plan, title_en="Open data portal", title_bg="Портал за отворени данни")


@pytest.fixture
def private_action():
    plan = PlanFactory(is_published=False, slug="hidden-plan")
    return ActionFactory(objective__axis__plan=plan)


def owner_editor(action):
    return RoleFactory(organization=action.plan.owner).user


def change(action, **data):
    strategy_services.action_update(acting_user=owner_editor(action), action=action, data=data)


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[-1].split("/", 1)[-1]


def _link(message, marker: str) -> str:
    return _path(next(word for word in message.body.split() if marker in word))


def test_signed_in_user_follows_sees_following_and_unfollows(client, action):
    user = UserFactory(email="reader@example.org")
    client.force_login(user)
    page = client.get(action.get_absolute_url())
    assert "Follow this action" in page.content.decode()
    response = client.post(reverse("partnerships:follow-action", args=[action.pk]))
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    follow = Subscription.objects.get(user=user)
    assert follow.confirmed_at is not None and follow.scope == f"follow-action-{action.pk}"
    assert follow.notified_state == {"status": "in_progress", "computed": "late", "progress": 40}
    client.post(reverse("partnerships:follow-action", args=[action.pk]))  # twice is one follow
    assert Subscription.objects.filter(user=user).count() == 1
    html = client.get(action.get_absolute_url()).content.decode()
    assert "Following" in html and "Stop following" in html

    client.post(reverse("partnerships:unfollow-action", args=[action.pk]))
    assert not Subscription.objects.filter(user=user).exists()
    assert "Follow this action" in client.get(action.get_absolute_url()).content.decode()


def test_change_sends_one_email_to_each_follower_and_a_second_run_nothing(client, action):
    readers = [UserFactory(email=f"r{i}@example.org") for i in range(3)]
    for reader in readers:
        services.follow_create(acting_user=reader, language="en", action=action)
    assert follows.send_follow_notices().sent == 0  # nothing changed yet

    change(action, progress=60)
    change(action, status=ActionStatus.COMPLETED, progress=100)  # two changes, one e-mail
    run = follows.send_follow_notices()
    assert run.sent == 3
    assert sorted(m.to[0] for m in outbox.outbox) == [r.email for r in readers]
    body = outbox.outbox[0].body
    assert "Open data portal" in outbox.outbox[0].subject
    assert "40 % → 100 %" in body and "In progress → Completed" in body and "Late → Done" in body
    assert action.get_absolute_url() in body
    assert outbox.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    assert follows.send_follow_notices().sent == 0
    assert len(outbox.outbox) == 3 and MailSent.objects.filter(kind="follow_change").count() == 3


def test_visitor_follows_by_email_with_double_opt_in(client, action, django_capture_on_commit_callbacks):
    url = reverse("partnerships:follow-action", args=[action.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "Visitor@Example.org", "language": "bg"})
    assert response.status_code == 200
    follow = Subscription.objects.get()
    assert follow.email == "visitor@example.org" and follow.confirmed_at is None and follow.user is None
    assert len(outbox.outbox) == 1 and outbox.outbox[0].extra_headers["Content-Language"] == "bg"

    change(action, progress=55)
    assert follows.send_follow_notices().sent == 0  # not confirmed: nothing sent

    confirm = _link(outbox.outbox[0], "/confirm/")
    assert client.get(confirm).status_code == 200
    follow.refresh_from_db()
    assert follow.confirmed_at is None  # a link scanner's GET changes nothing
    assert client.post(confirm).status_code == 200
    follow.refresh_from_db()
    assert follow.confirmed_at is not None and follow.notified_state["progress"] == 55

    change(action, progress=70)
    assert follows.send_follow_notices().sent == 1
    notice = outbox.outbox[-1]
    assert "Портал за отворени данни" in notice.subject and "55 % → 70 %" in notice.body

    unsubscribe = _path(notice.extra_headers["List-Unsubscribe"].strip("<>"))
    assert client.post(unsubscribe).status_code == 200  # one click, no CSRF token
    assert not Subscription.objects.exists()


def test_tampered_or_wrong_links_change_nothing(client, action, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("partnerships:follow-action", args=[action.pk]), {"email": "v@example.org", "language": "en"}
        )
    confirm = _link(outbox.outbox[0], "/confirm/")
    token = confirm.rstrip("/").rsplit("/", 1)[-1]
    tampered = confirm.replace(token, token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb"))
    assert client.post(tampered).status_code == 400
    # A confirmation token is not an unsubscribe token (different salts).
    assert client.post(reverse("partnerships:subscription-cancel", args=[token])).status_code == 400
    assert Subscription.objects.get().confirmed_at is None


def test_bad_address_names_the_field_and_saves_nothing(client, action):
    response = client.post(
        reverse("partnerships:follow-action", args=[action.pk]), {"email": "not-an-address", "language": "en"}
    )
    assert response.status_code == 400 and 'id="id_email"' in response.content.decode()
    assert not Subscription.objects.exists() and not outbox.outbox


def test_private_plan_cannot_be_followed_by_who_cannot_see_it(client, private_action):
    plan = private_action.plan
    routes = [
        reverse("partnerships:follow-action", args=[private_action.pk]),
        reverse("partnerships:follow-plan", args=[plan.slug]),
    ]
    for url in routes:
        assert client.get(url).status_code == 404
        assert client.post(url, {"email": "v@example.org", "language": "en"}).status_code == 404
    client.force_login(UserFactory(email="plain@example.org"))
    for url in routes:
        assert client.post(url).status_code == 404
    assert not Subscription.objects.exists()
    client.force_login(owner_editor(private_action))
    for url in routes:
        assert client.post(url).status_code == 302
    assert Subscription.objects.count() == 2


def test_follower_who_lost_sight_of_a_plan_is_not_told(action):
    editor = owner_editor(action)
    services.follow_create(acting_user=UserFactory(email="x@example.org"), language="en", action=action)
    services.follow_create(acting_user=editor, language="en", action=action)
    action.plan.is_published = False
    action.plan.save()
    change(action, progress=90)
    assert follows.send_follow_notices().sent == 1
    assert outbox.outbox[0].to == [editor.email]


def test_plan_status_change_is_told(client, action):
    plan = action.plan
    user = UserFactory(email="planner@example.org")
    client.force_login(user)
    assert client.post(reverse("partnerships:follow-plan", args=[plan.slug])).status_code == 302
    plan.status = PlanStatus.APPROVED
    plan.save()
    assert follows.send_follow_notices().sent == 1
    assert "Draft → Approved" in outbox.outbox[0].body and plan.get_absolute_url() in outbox.outbox[0].body
    assert follows.send_follow_notices().sent == 0


def test_my_work_lists_what_the_user_follows(client, action):
    user = UserFactory(email="me@example.org")
    services.follow_create(acting_user=user, language="en", action=action)
    services.follow_create(acting_user=user, language="en", plan=action.plan)
    client.force_login(user)
    html = client.get("/en/my-work/").content.decode()
    assert "Following" in html and "Open data portal" in html and "Open plan" in html


@pytest.mark.parametrize("followers", [3, 30])
def test_notice_run_reads_a_fixed_number_of_queries(action, followers, django_assert_max_num_queries):
    others = ActionFactory.create_batch(3, objective=action.objective)
    for i in range(followers):
        target = [action, *others][i % 4]
        services.follow_create(acting_user=UserFactory(email=f"f{i}@example.org"), language="en", action=target)
    for target in [action, *others]:
        change(target, progress=80)
    # Reads per batch, whatever the number of follows: follows, states, public actions, public
    # plans. Per e-mail only its own writes: savepoint, record, the cache's content version
    # (core.cache, on every save), the conditional update of the state told, release.
    with django_assert_max_num_queries(5 + 5 * followers):
        run = follows.send_follow_notices()
    assert run.sent == followers


def test_followers_never_get_another_readers_copy_of_the_page(client, action, settings):
    """Signed-in readers share a cached copy of action pages (core.cache); a follower's says
    "Following", so it is never taken from, nor given to, the shared copy."""
    from django.test import Client

    settings.PUBLIC_CACHE = True
    first, follower = UserFactory(), UserFactory()
    client.force_login(follower)
    client.post(reverse("partnerships:follow-action", args=[action.pk]))
    reader = Client()
    reader.force_login(first)
    assert "Follow this action" in reader.get(action.get_absolute_url()).content.decode()  # fills the copy
    fresh = Client()  # a new session: no confirmation message pending
    fresh.force_login(follower)
    html = fresh.get(action.get_absolute_url()).content.decode()
    assert "Stop following" in html and "Follow this action" not in html
    html = reader.get(action.get_absolute_url()).content.decode()
    assert "Follow this action" in html and "Stop following" not in html
