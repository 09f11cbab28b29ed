"""Every page carries a Content-Security-Policy without inline scripts and a Permissions-Policy;
pages and downloads shown to a signed-in user are never stored by a cache."""

import pytest
from django.urls import reverse

from municipia.organizations.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_public_pages_carry_the_policies_and_may_be_cached(client):
    response = client.get(reverse("portal:home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy
    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" not in response.get("Cache-Control", "")


def test_signed_in_pages_and_api_answers_are_not_stored(client):
    client.force_login(UserFactory())
    assert "no-store" in client.get(reverse("portal:home"))["Cache-Control"]
    assert "no-store" in client.get("/api/v1/plans/")["Cache-Control"]


def test_no_template_has_an_inline_script_or_event_handler():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", text)
        handlers = re.findall(r"\son[a-z]+\s*=", text)
        if scripts or handlers:
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_the_api_docs_load_their_script_from_a_url(client):
    page = client.get("/api/docs/").content.decode()
    assert "<script src=" in page.replace("<script  src=", "<script src=")
