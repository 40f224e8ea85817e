"""Where webhooks may go: to the internet, not to this machine, the office's own network or a
cloud's metadata service (server-side request forgery; OWASP's SSRF Prevention Cheat Sheet).

A receiver's host must be, or resolve only to, globally reachable addresses: none loopback,
private, link-local, reserved, multicast or unspecified, nor any other special-purpose block
of the IANA registries (``ipaddress``'s ``is_global``; the shared block 100.64.0.0/10 holds
some clouds' metadata service). A host that does not resolve is refused too. It is checked when
a subscription is made or changed (``api.webhooks``) and again before each delivery
(``webhooks.delivery``), because what a name resolves to can change after it was accepted.

``WEBHOOK_ALLOW_PRIVATE_ADDRESSES`` (on in a local run) turns the check off, resolution included.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class ReceiverRefused(Exception):
    """A receiver's address is not on the internet. ``str()`` says why, in English, for the
    delivery's record; ``address`` is the address refused (``None``: the host did not
    resolve)."""

    def __init__(self, reason: str, *, host: str, address: str | None = None) -> None:
        super().__init__(reason)
        self.host = host
        self.address = address


def _embedded(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 one carries (``::ffff:127.0.0.1``, 6to4), which is the one the
    packets reach."""
    if isinstance(address, ipaddress.IPv6Address):
        return address.ipv4_mapped or address.sixtofour or address
    return address


def _is_public(address: IPAddress) -> bool:
    address = _embedded(address)
    return address.is_global and not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    )


def _resolved(host: str, port: int) -> list[str]:
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        # An address written out needs no resolver.
        return [str(literal)]
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise ReceiverRefused(
            f"The receiver's host {host} does not resolve ({type(error).__name__}).", host=host
        ) from None
    # An IPv6 answer may carry a zone (fe80::1%eth0): the address is what precedes it.
    return [str(answer[4][0]).split("%", 1)[0] for answer in answers]


def check_receiver(url: str) -> None:
    """Refuse (``ReceiverRefused``) a receiver ``url`` whose host is, or resolves to, an address
    that is not on the internet; every address the host resolves to must pass, since the
    sender may connect to any of them."""
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host:
        raise ReceiverRefused("The receiver's address has no host.", host=host)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ReceiverRefused("The receiver's address has no valid port.", host=host) from None
    addresses = _resolved(host, port)
    if not addresses:
        raise ReceiverRefused(f"The receiver's host {host} does not resolve.", host=host)
    for text in addresses:
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            raise ReceiverRefused(
                f"The receiver's host {host} resolves to {text}, not an IP address.", host=host
            ) from None
        if not _is_public(address):
            where = host if host == text else f"{host} ({text})"
            raise ReceiverRefused(
                f"The receiver's address {where} is not on the internet "
                "(loopback, private, link-local, reserved, multicast or unspecified).",
                host=host,
                address=text,
            )
