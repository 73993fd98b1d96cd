"""Where the hub may send a webhook: public addresses only (a guard against server-side request
forgery), checked after resolution and pinned for the connection.

A host is refused when it is a local name (``localhost``, ``*.localhost``, ``*.local``,
``*.internal``, with or without the trailing dot), or when it is or resolves to any address
that is loopback, private, link-local, multicast, reserved, unspecified or otherwise not
global. Literal addresses are read the way the C resolver reads them, so every numeric form is
caught before any lookup: ``127.1``, ``2130706433``, ``0x7f.1``, ``0177.0.0.1``, ``0``, and
IPv6 forms including IPv4-mapped (``::ffff:127.0.0.1``), 6to4 and Teredo addresses, whose
embedded IPv4 address is checked too.

Delivery resolves the host once, checks every address, and connects to the first one
(``Pinned``): the URL carries the address, the ``Host`` header and TLS (SNI and certificate
verification, httpx's ``sni_hostname`` extension) carry the name, so a DNS answer that changes
between the check and the connection (DNS rebinding) cannot move the request.

``HUB_WEBHOOK_ALLOW_LOOPBACK=true`` lets loopback addresses through (and nothing else): the
tests' receivers listen on 127.0.0.1. It is off by default in every mode, dev included.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]
LOCAL_SUFFIXES = (".localhost", ".local", ".internal")
HEX = frozenset("0123456789abcdef")


class EgressRefused(ValueError):
    """The destination is not a public address; the message says why (no address in it)."""


@dataclass(frozen=True, slots=True)
class Pinned:
    """A request target with its checked address: send to ``url`` with ``headers`` and
    ``extensions``; the connection goes to ``address`` while Host and TLS name the host."""

    original: httpx.URL
    address: str

    @property
    def url(self) -> httpx.URL:
        if literal_address(self.original.host) is not None:
            return self.original
        return self.original.copy_with(host=self.address)

    def headers(self) -> dict[str, str]:
        return {"Host": self.original.netloc.decode("ascii")}

    def extensions(self) -> dict[str, str]:
        literal = literal_address(self.original.host) is not None
        if self.original.scheme != "https" or literal:
            return {}
        return {"sni_hostname": self.original.host}


def system_resolver(host: str, port: int) -> list[str]:
    """The host's addresses, as the system resolver gives them (a blocking call)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def literal_address(host: str) -> Address | None:
    """``host`` as an IP address in any form the C resolver accepts, else None (a name)."""
    text = host.strip("[]")
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        pass
    return _inet_aton(text.rstrip("."))


def forbidden(address: Address, *, allow_loopback: bool = False) -> bool:
    """Whether the hub must not connect to ``address`` on a webhook's behalf."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if embedded is not None and forbidden(embedded, allow_loopback=allow_loopback):
            return True
        if address.ipv4_mapped is not None:
            return False  # the embedded address was the one to judge
    if address.is_loopback:
        return not allow_loopback
    return (
        not address.is_global
        or address.is_multicast
        or address.is_private
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
    )


def check_host(
    host: str,
    port: int,
    *,
    allow_loopback: bool = False,
    resolve: Resolver | None = system_resolver,
    must_resolve: bool = True,
) -> list[str]:
    """The host's addresses once every one is allowed; ``EgressRefused`` otherwise.

    With ``must_resolve=False`` a name that cannot be resolved now passes (registration: the
    delivery checks again); ``resolve=None`` checks names and literals only.
    """
    name = host.lower().rstrip(".")
    if not name:
        raise EgressRefused("no host")
    if name.endswith(LOCAL_SUFFIXES) or (name == "localhost" and not allow_loopback):
        raise EgressRefused("a local host name")
    literal = literal_address(host)
    if literal is not None:
        addresses: Sequence[str] = [str(literal)]
    elif resolve is None:
        return []
    else:
        try:
            addresses = resolve(name, port)
        except (OSError, UnicodeError) as exc:
            if must_resolve:
                raise EgressRefused(f"the host cannot be resolved ({type(exc).__name__})") from None
            return []
        if not addresses:
            raise EgressRefused("the host has no address")
    for text in addresses:
        address = literal_address(text)
        if address is None or forbidden(address, allow_loopback=allow_loopback):
            raise EgressRefused("the host is or resolves to a non-public address")
    return list(addresses)


def pin(url: str, *, allow_loopback: bool = False, resolve: Resolver = system_resolver) -> Pinned:
    """The URL's pinned target (blocking: the host is resolved); ``EgressRefused`` when the
    host is or resolves to an address the hub must not call."""
    parsed = httpx.URL(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    addresses = check_host(parsed.host, port, allow_loopback=allow_loopback, resolve=resolve)
    return Pinned(parsed, addresses[0])


def _inet_aton(text: str) -> ipaddress.IPv4Address | None:
    """IPv4 as ``inet_aton`` reads it: 1 to 4 parts, each decimal, octal (leading 0) or hex
    (0x); the last part fills the remaining bytes."""
    parts = text.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    values: list[int] = []
    for part in parts:
        lower = part.lower()
        if lower.startswith("0x") and all(c in HEX for c in lower[2:]):
            value = int(lower[2:] or "0", 16)
        elif part.isascii() and part.isdigit() and part.startswith("0"):
            if any(c in "89" for c in part):
                return None
            value = int(part, 8)
        elif part.isascii() and part.isdigit():
            value = int(part, 10)
        else:
            return None
        values.append(value)
    *head, last = values
    if any(v > 255 for v in head) or last >= 256 ** (4 - len(head)):
        return None
    number = last
    for index, value in enumerate(head):
        number |= value << (8 * (3 - index))
    return ipaddress.IPv4Address(number)


__all__ = [
    "EgressRefused",
    "Pinned",
    "check_host",
    "forbidden",
    "literal_address",
    "pin",
    "system_resolver",
]
