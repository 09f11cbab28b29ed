"""Password reset by e-mail and password change, linked from the login page, translated."""

import re

import pytest
from django.core import mail

from municipia.accounts.services import token_issue
from municipia.organizations.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_links_to_the_password_reset(client):
    page = client.get("/ca/accounts/login/").content.decode()
    assert 'href="/ca/accounts/password/reset/"' in page
    assert "Has oblidat la contrasenya?" in page


def test_reset_by_e_mail_sets_a_new_password_and_revokes_tokens(client):
    user = UserFactory(username="editor", email="editor@example.org")
    token, _key = token_issue(acting_user=user, name="a", days=5)

    response = client.post("/es/accounts/password/reset/", {"email": "editor@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "contraseña" in message.subject
    link = re.search(r"http://testserver(/es/accounts/password/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "another-Long-pass-7", "new_password2": "another-Long-pass-7"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-Long-pass-7")
    token.refresh_from_db()
    assert token.revoked_at is not None
    # The link works once.
    assert "no es válido" in client.get(link, follow=True).content.decode()


def test_unknown_address_looks_the_same_and_sends_nothing(client):
    response = client.post("/en/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change_keeps_what_was_typed_wrong_out(client):
    client.force_login(UserFactory(username="editor"))
    response = client.post(
        "/en/accounts/password/change/",
        {"old_password": "wrong", "new_password1": "a-new-Long-pass-42", "new_password2": "a-new-Long-pass-42"},
    )
    assert response.status_code == 200
    assert "old password" in response.content.decode().lower()
