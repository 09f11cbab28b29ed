"""Newsletter sends: queued by a site administrator, run by the worker in batches, progress on a page and in the API."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail as outbox
from django.urls import reverse
from django.utils import timezone

from municipia.partnerships import mail
from municipia.partnerships.choices import SendState
from municipia.partnerships.models import NewsletterSend, Subscription
from municipia.partnerships.tests.factories import NewsPostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscribers(world):
    since = timezone.now() - dt.timedelta(days=1)
    for i in range(5):
        Subscription.objects.create(
            email=f"s{i}@example.org", language="en", scope="site", confirmed_at=since, last_sent_at=since
        )
    NewsPostFactory(
        organization=world.council, title_en="Fresh news", publish_at=timezone.now() - dt.timedelta(hours=1)
    )


def test_admin_queues_a_send_and_watches_it_finish(client, world, subscribers, django_capture_on_commit_callbacks):
    client.force_login(world.admin)
    page = client.get(reverse("partnerships:newsletter-send-list"))
    assert page.status_code == 200 and "Send the newsletter now" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("partnerships:newsletter-send-list"))
    send = NewsletterSend.objects.get()
    assert response.status_code == 302 and response["Location"] == send.get_absolute_url()
    assert send.state == SendState.DONE and (send.total, send.processed, send.sent, send.failed) == (5, 5, 5, 0)
    assert send.requested_by == world.admin and send.started_at and send.finished_at
    assert len(outbox.outbox) == 5
    html = client.get(send.get_absolute_url()).content.decode()
    assert "Done" in html and "5 of 5 subscribers" in html and "data-refresh-seconds" not in html

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("partnerships:newsletter-send-list"))
    again = NewsletterSend.objects.order_by("-id").first()
    assert again.state == SendState.DONE and again.sent == 0 and len(outbox.outbox) == 5


def test_running_send_page_refreshes_itself(client, world):
    send = NewsletterSend.objects.create(state=SendState.SENDING, total=10, processed=4, sent=3, failed=1)
    client.force_login(world.admin)
    html = client.get(send.get_absolute_url()).content.decode()
    assert 'data-refresh-seconds="3"' in html and "4 of 10 subscribers" in html
    assert "Sending" in html and "<script>" not in html  # no inline script (CSP): municipia.js reloads


def test_a_send_runs_once_and_counts_failures_in_batches(world, subscribers):
    send = NewsletterSend.objects.create()
    seen = []
    original = mail.send_news_digests

    def spying(**kwargs):
        kwargs["batch"] = 2
        progress = kwargs["progress"]

        def recording(run):
            progress(run)
            seen.append(NewsletterSend.objects.get(pk=send.pk).processed)

        kwargs["progress"] = recording
        return original(**kwargs)

    refused = {"s1@example.org"}

    def flaky_send(message, *args, **kwargs):
        if message.to[0] in refused:
            raise OSError("mail server refused")
        outbox.outbox.append(message)
        return 1

    with (
        mock.patch.object(mail, "send_news_digests", spying),
        mock.patch("django.core.mail.EmailMessage.send", flaky_send),
    ):
        mail.run_newsletter_send(send)
    send.refresh_from_db()
    assert seen == [2, 4, 5]  # the counts move after every batch
    assert send.state == SendState.DONE and send.sent == 4 and send.failed == 1
    assert mail.run_newsletter_send(send).sent == 4  # a second run of the same send does nothing
    assert len(outbox.outbox) == 4

    refused.clear()  # the next send tries the refused address again, and only it
    retry = mail.run_newsletter_send(NewsletterSend.objects.create())
    assert retry.sent == 1 and outbox.outbox[-1].to == ["s1@example.org"]


def test_an_error_marks_the_send_failed_with_its_message(world, subscribers):
    send = NewsletterSend.objects.create()
    with mock.patch.object(mail, "send_news_digests", side_effect=RuntimeError("database went away")):
        mail.run_newsletter_send(send)
    send.refresh_from_db()
    assert send.state == SendState.FAILED and "database went away" in send.error and send.finished_at


@pytest.mark.parametrize("role", ["plain_user", "editor", "other_editor"])
def test_only_site_administrators_see_or_queue_sends(client, world, role):
    send = NewsletterSend.objects.create()
    client.force_login(getattr(world, role))
    assert client.get(reverse("partnerships:newsletter-send-list")).status_code == 403
    assert client.post(reverse("partnerships:newsletter-send-list")).status_code == 403
    assert client.get(send.get_absolute_url()).status_code == 403
    assert client.get("/api/v1/newsletter-sends/").status_code == 403
    assert client.post("/api/v1/newsletter-sends/").status_code == 403
    assert NewsletterSend.objects.count() == 1


def test_api_queues_and_reports_progress(client, world, subscribers, django_capture_on_commit_callbacks):
    assert client.get("/api/v1/newsletter-sends/").status_code in (401, 403)
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/newsletter-sends/")
    assert response.status_code == 202
    body = client.get(f"/api/v1/newsletter-sends/{response.json()['id']}/").json()
    assert body["state"] == "done" and body["sent"] == 5 and body["total"] == 5 and body["requested_by"]


def test_list_page_reads_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for _i in range(30):
        NewsletterSend.objects.create(requested_by=world.admin, state=SendState.DONE)
    client.force_login(world.admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("partnerships:newsletter-send-list")).status_code == 200
