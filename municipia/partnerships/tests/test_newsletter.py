"""The newsletter: double opt-in, one-click unsubscribe by signed links, digests sent once, reminders."""

import datetime as dt
import io

import pytest
from django.core import mail as outbox
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from municipia.diagnosis.choices import CampaignStatus
from municipia.diagnosis.tests.factories import CampaignFactory
from municipia.partnerships import mail, services
from municipia.partnerships.choices import CommitmentStatus, NewsStatus
from municipia.partnerships.models import MailSent, Subscription
from municipia.partnerships.tests.factories import CommitmentFactory, NewsPostFactory
from municipia.strategy.tests.factories import ActionFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db(transaction=False)
SUBSCRIBE = "/en/partnerships/news/subscribe/"


def _link(message, start):
    return next(word for word in message.body.split() if word.startswith(start))


def subscribe(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(SUBSCRIBE, {"email": "reader@example.org", "language": "bg", **data})


def test_double_opt_in_then_one_click_unsubscribe(client, world, django_capture_on_commit_callbacks):
    response = subscribe(client, django_capture_on_commit_callbacks)
    assert response.status_code == 200 and "confirm" in response.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None and subscription.scope == "site"
    assert len(outbox.outbox) == 1 and outbox.outbox[0].to == ["reader@example.org"]
    assert outbox.outbox[0].extra_headers["Content-Language"] == "bg"
    confirm_url = _link(outbox.outbox[0], "http").replace("http://testserver", "")
    confirm_path = confirm_url.split("://", 1)[-1].split("/", 1)[-1]
    assert client.get("/" + confirm_path).status_code == 200  # a link scanner's GET changes nothing
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    assert client.post("/" + confirm_path).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None

    NewsPostFactory(
        organization=world.council,
        title_en="First news",
        title_bg="Първа новина",
        publish_at=timezone.now() + dt.timedelta(hours=1),
    )
    mail.send_news_digests(now=timezone.now() + dt.timedelta(days=2))
    digest = outbox.outbox[-1]
    assert "Първа новина" in digest.body
    unsubscribe = digest.extra_headers["List-Unsubscribe"].strip("<>")
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = "/" + unsubscribe.split("://", 1)[-1].split("/", 1)[-1]
    # A mail program's one-click POST carries no CSRF token.
    client.handler.enforce_csrf_checks = True
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Subscription.objects.exists()


def test_tampered_or_unknown_links_change_nothing(client, world):
    subscription = Subscription.objects.create(email="a@example.org", language="en", scope="site")
    token = mail.confirm_token(subscription)
    for bad in (token[:-2] + "xx", mail.unsubscribe_token(subscription)):  # wrong signature, wrong purpose
        response = client.post(reverse("partnerships:subscription-confirm", args=[bad]))
        assert response.status_code == 400 and "not valid" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    response = client.post(reverse("partnerships:subscription-cancel", args=[token]))
    assert response.status_code == 400 and Subscription.objects.exists()


def test_an_expired_confirmation_link_is_refused(client, world, settings):
    subscription = Subscription.objects.create(email="a@example.org", language="en", scope="site")
    token = mail.confirm_token(subscription)
    later = timezone.now() + dt.timedelta(days=8)
    from unittest import mock

    with mock.patch("time.time", return_value=later.timestamp()):
        response = client.post(reverse("partnerships:subscription-confirm", args=[token]))
    assert response.status_code == 400 and "expired" in response.content.decode()


def test_malformed_and_duplicate_addresses_name_the_field_and_send_nothing(
    client, world, django_capture_on_commit_callbacks
):
    response = subscribe(client, django_capture_on_commit_callbacks, email="not an address")
    assert response.status_code == 400 and 'id="id_email"' in response.content.decode()
    assert "valid email" in response.content.decode()
    Subscription.objects.create(email="reader@example.org", language="en", scope="site", confirmed_at=timezone.now())
    response = subscribe(client, django_capture_on_commit_callbacks, email="Reader@Example.org")
    assert response.status_code == 400 and "already follows" in response.content.decode()
    assert Subscription.objects.count() == 1 and outbox.outbox == []


def test_plan_subscriptions_receive_only_the_plans_news_and_twice_sends_nothing_twice(world):
    plan = PlanFactory(owner=world.council, slug="sofia-plan")
    confirmed = timezone.now() - dt.timedelta(days=3)
    site = Subscription.objects.create(
        email="all@example.org", language="en", scope="site", confirmed_at=confirmed, last_sent_at=confirmed
    )
    of_plan = Subscription.objects.create(
        email="plan@example.org",
        language="en",
        plan=plan,
        scope=f"plan-{plan.pk}",
        confirmed_at=confirmed,
        last_sent_at=confirmed,
    )
    Subscription.objects.create(email="pending@example.org", language="en", scope="site")  # never confirmed
    NewsPostFactory(organization=world.council, title_en="About the plan", plans=[plan])
    NewsPostFactory(organization=world.council, title_en="Something else")
    NewsPostFactory(organization=world.council, title_en="A draft", status=NewsStatus.DRAFT)
    now = timezone.now()
    run = mail.send_news_digests(now=now, batch=1)
    assert (run.sent, run.subscriptions) == (2, 2)
    sent = {message.to[0]: message.body for message in outbox.outbox}
    assert set(sent) == {"all@example.org", "plan@example.org"}
    assert "About the plan" in sent["plan@example.org"] and "Something else" not in sent["plan@example.org"]
    assert "A draft" not in sent["all@example.org"] and "Something else" in sent["all@example.org"]
    assert mail.send_news_digests(now=now).sent == 0
    assert mail.send_news_digests(now=now + dt.timedelta(hours=1)).sent == 0
    assert len(outbox.outbox) == 2
    site.refresh_from_db()
    of_plan.refresh_from_db()
    assert site.last_sent_at == now == of_plan.last_sent_at


def test_digest_queries_do_not_grow_with_subscribers(world, django_assert_max_num_queries):
    confirmed = timezone.now() - dt.timedelta(days=1)
    for i in range(20):
        Subscription.objects.create(
            email=f"r{i}@example.org", language="en", scope="site", confirmed_at=confirmed, last_sent_at=confirmed
        )
    # Oldest watermark, posts, their plans, two batches, the end; on SQLite also the page cache
    # emptied after each batch (PRAGMA shrink_memory).
    with django_assert_max_num_queries(8):
        run = mail.send_news_digests(now=timezone.now(), batch=10)
    assert run.subscriptions == 20 and run.sent == 0


def test_commitment_and_agreement_reminders_go_to_the_parties_editors_once(world):
    today = timezone.localdate()
    world.public.expires_on = today + dt.timedelta(days=30)
    world.public.save()
    world.partner_editor.email = "iab@example.org"
    world.partner_editor.save()
    world.editor.email = "sofia@example.org"
    world.editor.save()
    plan = PlanFactory(owner=world.council)
    action = ActionFactory(objective=ObjectiveFactory(axis__plan=plan), progress=50)
    commitment = CommitmentFactory(agreement=world.public, party=world.partner, due_date=today + dt.timedelta(days=7))
    commitment.actions.add(action)
    commitment.campaigns.add(CampaignFactory(questionnaire__owner=world.partner, status=CampaignStatus.CLOSED))
    CommitmentFactory(
        agreement=world.public,
        party=world.partner,
        due_date=today + dt.timedelta(days=5),
        status=CommitmentStatus.DELIVERED,
    )
    call_command("send_partnership_mail", "--reminders-only", stdout=io.StringIO())
    by_recipient = {}
    for message in outbox.outbox:
        by_recipient.setdefault(message.to[0], []).append(message)
    assert len(by_recipient["iab@example.org"]) == 2  # the commitment and the agreement
    assert len(by_recipient["sofia@example.org"]) == 1  # the agreement only (not its party's commitment)
    commitment_mail = next(m for m in by_recipient["iab@example.org"] if "commitment" in m.subject.lower())
    assert "have not moved" in commitment_mail.body and action.code in commitment_mail.body
    assert MailSent.objects.count() == len(outbox.outbox)  # every e-mail recorded once
    sent = len(outbox.outbox)
    assert mail.send_reminders() == [] and len(outbox.outbox) == sent


def test_a_subscription_names_a_plan_or_an_organisation_not_both(world):
    plan = PlanFactory(owner=world.council)
    with pytest.raises(Exception) as refused:
        services.subscription_request(email="a@example.org", language="en", plan=plan, organization=world.council)
    assert "plan" in refused.value.message_dict
    assert not Subscription.objects.exists()
