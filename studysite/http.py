"""Small request helpers shared by the apps."""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def safe_next_url(request: HttpRequest, url: str | None, default: str = "") -> str:
    """`url` if it is a path on this site, else `default`: no open redirects, and
    nothing `redirect()` would mistake for a view name (say, "0")."""
    if (
        url
        and url.startswith("/")
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return url
    return default


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent `request`, as login throttling counts it.

    REMOTE_ADDR, unless that is one of settings.TRUSTED_PROXIES: then the right-most
    X-Forwarded-For entry that is not itself a trusted proxy. Each proxy appends the
    peer it saw, so entries left of that one were written by the client and are not
    believed; a direct client's X-Forwarded-For is ignored altogether.

    An IPv6 client is counted by its /64, the block one subscriber gets: counting
    single addresses would give it 2^64 fresh starts."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = _networks(tuple(settings.TRUSTED_PROXIES))
    peer = _parse_address(remote)
    if peer is None:
        return remote
    if not _is_trusted(peer, proxies):
        return _counted(peer)
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        forwarded = _parse_address(entry)
        if forwarded is None:
            break  # not written by a proxy of ours: stop at the last address one vouched for
        peer = forwarded
        if not _is_trusted(peer, proxies):
            break
    return _counted(peer)


def _counted(address: Address) -> str:
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


@functools.lru_cache(maxsize=4)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address: Address, proxies: tuple[Network, ...]) -> bool:
    return any(address in network for network in proxies)


def _parse_address(text: str) -> Address | None:
    """An address as proxies write it ("1.2.3.4", "1.2.3.4:5678", "[::1]:5678"), IPv4
    mapped into IPv6 unwrapped, so one client has one spelling; None if it is none."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address
