"""Sign-in through an organisation's identity provider, against a real local OpenID Connect
provider (django-oauth-toolkit) served by the live test server: discovery, code exchange, signed
ID token, nonce and JWKS all go over HTTP as in production."""

from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.models import User
from django.test import Client
from oauth2_provider.models import Application

from municipia.accounts.models import ExternalIdentity
from municipia.organizations.models import Person
from municipia.organizations.tests.factories import OrganizationFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.urls("municipia.accounts.tests.idp"), pytest.mark.django_db(transaction=True)]
SECRET = "client-secret-for-tests"
CALLBACK = "http://testserver/oidc/jerez/callback/"


@pytest.fixture
def provider(settings, live_server):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    settings.OAUTH2_PROVIDER = {
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": pem,
        "PKCE_REQUIRED": False,
        "OAUTH2_VALIDATOR_CLASS": "municipia.accounts.tests.idp.ClaimsValidator",
        "SCOPES": {"openid": "OpenID Connect", "email": "e-mail", "profile": "profile"},
    }
    owner = UserFactory(username="idp-admin")
    application = Application.objects.create(
        name="Municipia",
        user=owner,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=CALLBACK,
        client_secret=SECRET,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    jerez = OrganizationFactory(slug="jerez", name_en="Jerez de la Frontera")
    settings.OIDC_PROVIDERS = {
        "jerez": {
            "issuer": f"{live_server.url}/o",
            "client_id": application.client_id,
            "client_secret": SECRET,
            "organization": "jerez",
            "label": "Ayuntamiento de Jerez",
        }
    }
    return jerez


def _sign_in(browser: Client, idp_user) -> object:
    """The browser signs in at the provider as `idp_user`, then goes through the whole flow."""
    # Provider and site share this test server, so one browser session is signed in at the
    # provider as `idp_user`; the callback then replaces it with the linked Municipia account.
    browser.force_login(idp_user)
    start = browser.get("/oidc/jerez/login/?next=/en/accounts/")
    assert start.status_code == 302
    authorize = urlsplit(start["Location"])
    assert authorize.path == "/o/authorize/"
    back = browser.get(f"{authorize.path}?{authorize.query}")
    assert back.status_code == 302, back.content[:500]
    callback = urlsplit(back["Location"])
    assert callback.path == "/oidc/jerez/callback/"
    return browser.get(f"{callback.path}?{callback.query}")


def test_first_sign_in_links_the_account_to_the_person_of_the_organisation(provider):
    secretary = PersonFactory(full_name="Ana Secretaria", email="ana@jerez.es", organization=provider)
    idp_ana = UserFactory(username="ana.idp", email="ana@jerez.es", first_name="Ana", last_name="Secretaria")
    browser = Client()

    response = _sign_in(browser, idp_ana)

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/"
    secretary.refresh_from_db()
    assert secretary.user is not None
    assert secretary.user != idp_ana
    assert not secretary.user.has_usable_password()
    assert browser.get("/en/accounts/").context["user"] == secretary.user
    identity = ExternalIdentity.objects.get()
    assert identity.user == secretary.user and identity.provider == "jerez"

    # The second sign-in finds the same account through the identity.
    again = Client()
    _sign_in(again, idp_ana)
    assert again.get("/en/accounts/").context["user"] == secretary.user
    assert ExternalIdentity.objects.count() == 1


def test_an_unknown_person_gets_an_account_and_a_person_in_the_organisation(provider):
    idp_luis = UserFactory(username="luis", email="luis@jerez.es", first_name="Luis", last_name="Pérez")
    browser = Client()
    _sign_in(browser, idp_luis)
    person = Person.objects.get(email="luis@jerez.es")
    assert person.organization == provider
    assert person.full_name == "Luis Pérez"
    assert browser.get("/en/accounts/").context["user"] == person.user


def test_an_existing_account_of_the_person_is_the_one_signed_in(provider):
    account = UserFactory(username="marta", email="marta@jerez.es")
    PersonFactory(full_name="Marta", email="marta@jerez.es", organization=provider, user=account)
    idp_marta = UserFactory(username="marta.idp", email="marta@jerez.es")
    browser = Client()
    _sign_in(browser, idp_marta)
    assert browser.get("/en/accounts/").context["user"] == account


def test_a_forged_callback_signs_nobody_in(provider):
    browser = Client()
    users = User.objects.count()
    response = browser.get("/oidc/jerez/callback/?code=made-up&state=made-up", follow=True)
    assert "Sign-in through the identity provider failed" in response.content.decode()
    assert "_auth_user_id" not in browser.session
    assert User.objects.count() == users


def test_login_page_shows_the_provider(provider, client):
    page = client.get("/en/accounts/login/").content.decode()
    assert "Ayuntamiento de Jerez" in page
    assert 'href="/oidc/jerez/login/' in page


def test_unconfigured_provider_is_not_found(provider, client):
    assert client.get("/oidc/elsewhere/login/").status_code == 404
