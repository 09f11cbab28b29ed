"""Facts about an HTTP request that more than one app needs, read in one trusted way."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _parse(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(address.strip())
    except ValueError:
        return None


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    parsed = _parse(address)
    return parsed is not None and any(parsed in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent `request`.

    The socket address, unless it belongs to a proxy listed in `settings.TRUSTED_PROXIES`:
    then `X-Forwarded-For` is read from the right (the hop each trusted proxy appended) and the
    first address not itself a trusted proxy is the client. A visitor who writes the header
    directly, without a trusted proxy in front, cannot choose the address they are counted under.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(forwarded):
        if _parse(hop) is None:
            # A malformed hop was written by someone beyond our proxies: stop trusting the chain.
            return remote
        if not _is_trusted(hop, networks):
            return hop
    return forwarded[0] if forwarded else remote
