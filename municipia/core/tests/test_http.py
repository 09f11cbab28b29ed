"""The client's address: the socket's, or the forwarded one only through trusted proxies."""

import pytest
from django.test import RequestFactory

from municipia.core.http import client_ip


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_a_client_not_behind_a_trusted_proxy_cannot_choose_its_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_address_it_appended_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    # The visitor forged the first hop; the proxy appended the real address last.
    assert client_ip(_request("127.0.0.1", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"


def test_chained_trusted_proxies_are_skipped(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    assert client_ip(_request("127.0.0.1", "203.0.113.9, 10.1.2.3")) == "203.0.113.9"


@pytest.mark.parametrize("forwarded", ["", "not-an-address", "203.0.113.9, garbage"])
def test_a_missing_or_malformed_header_falls_back_to_the_socket(settings, forwarded):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(_request("127.0.0.1", forwarded)) == "127.0.0.1"


def test_ipv6_proxies_and_clients(settings):
    settings.TRUSTED_PROXIES = ["::1"]
    assert client_ip(_request("::1", "2001:db8::7")) == "2001:db8::7"
