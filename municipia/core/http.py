"""HTTP helpers shared by every app: the real client address behind trusted proxies."""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=16)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in proxies)


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request) -> str:
    """The address of the client that sent `request`.

    `X-Forwarded-For` is believed only when the socket peer is one of `TRUSTED_PROXIES`; then
    the right-most address that is not itself a trusted proxy is the client (addresses further
    left were written by the client and prove nothing). Anyone else gets their socket address,
    whatever headers they send.
    """
    peer = request.META.get("REMOTE_ADDR", "") or ""
    if not _is_trusted(peer):
        return peer
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer
    return peer
