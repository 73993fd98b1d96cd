"""Webhook URLs: https to a public host only, nothing local or internal in any numeric form,
in every mode; loopback only with the explicit allowance the tests use."""

from __future__ import annotations

import socket

import pytest

from hub.cases.egress import EgressRefused, check_host, literal_address, pin
from hub.cases.lifecycle import CaseError
from hub.cases.settings import CaseSettings
from hub.cases.webhooks import WebhookStore
from hub.settings import SettingsError

STORE = WebhookStore(engine=None, allow_http=False)  # type: ignore[arg-type]  # URLs only
DEV = WebhookStore(engine=None, allow_http=True)  # type: ignore[arg-type]
LOOPBACK_ALLOWED = WebhookStore(engine=None, allow_http=True, allow_loopback=True)  # type: ignore[arg-type]

LOOPBACK_FORMS = [
    "127.0.0.1",
    "127.1",
    "2130706433",
    "0x7f.1",
    "0x7f000001",
    "0177.0.0.1",
    "017700000001",
    "127.0.0.1.",
    "[::1]",
    "[0:0:0:0:0:0:0:1]",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "localhost",
    "localhost.",
    "LOCALHOST",
]
OTHER_INTERNAL = [
    "0",
    "0.0.0.0",  # noqa: S104 (a target refused, not a bind)
    "[::]",
    "10.1.2.3",
    "012.1.2.3",
    "0xa.0x1.0x2.0x3",
    "167772161",
    "192.168.0.10:8443",
    "172.16.5.4",
    "100.64.0.1",
    "169.254.169.254",
    "0xa9fea9fe",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "[fd00::1]",
    "[fe80::1]",
    "[ff02::1]",
    "[::ffff:10.0.0.1]",
    "[::ffff:169.254.169.254]",
    "[2002:7f00:1::]",  # 6to4 wrapping 127.0.0.1
    "[2002:a00:1::]",  # 6to4 wrapping 10.0.0.1
    "[2001:db8::1]",  # documentation
    "db.internal",
    "metadata.google.internal.",
    "printer.local",
    "app.localhost",
]


@pytest.mark.parametrize("host", LOOPBACK_FORMS + OTHER_INTERNAL)
@pytest.mark.parametrize("store", [STORE, DEV], ids=["production", "dev"])
def test_local_and_internal_hosts_are_refused_in_every_mode(host: str, store: WebhookStore) -> None:
    scheme = "https" if store is STORE else "http"
    with pytest.raises(CaseError) as refused:
        store.check_url(f"{scheme}://{host}/hook")
    assert (refused.value.code, refused.value.argument) == ("BAD_USER_INPUT", "url")


@pytest.mark.parametrize("host", LOOPBACK_FORMS)
def test_every_numeric_form_of_loopback_reads_as_loopback(host: str) -> None:
    name = host.strip("[]").rstrip(".").lower()
    address = literal_address(name)
    if name == "localhost":
        assert address is None  # a name, refused by name (and by what it resolves to)
    else:
        assert address is not None
        mapped = getattr(address, "ipv4_mapped", None)
        assert (mapped or address).is_loopback


@pytest.mark.parametrize("host", ["127.1", "2130706433", "0x7f.1", "0177.0.0.1", "0"])
def test_the_system_resolver_agrees_with_the_reading(host: str) -> None:
    # the C resolver reads these numeric forms as addresses: the check reads them alike
    resolved = {info[4][0] for info in socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM)}
    assert resolved == {str(literal_address(host))}


def test_a_hostname_resolving_to_loopback_is_refused() -> None:
    # given this machine's own name, which the system resolver maps to a non-public address
    name = socket.gethostname()
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(name, 443)}
    except OSError as exc:
        pytest.skip(f"this machine's name does not resolve ({exc})")
    if any(literal_address(a).is_global for a in addresses):  # type: ignore[union-attr]
        pytest.skip(f"{name} resolves to a public address here")
    # then registration and delivery both refuse it
    with pytest.raises(CaseError):
        STORE.check_url(f"https://{name}/hook")
    with pytest.raises(EgressRefused):
        pin(f"https://{name}/hook")


def test_a_name_whose_any_address_is_internal_is_refused() -> None:
    def resolver(host: str, port: int) -> list[str]:
        return ["93.184.215.14", "10.0.0.7"]  # one public, one internal answer

    with pytest.raises(EgressRefused):
        check_host("hooks.example.org", 443, resolve=resolver)
    assert check_host("hooks.example.org", 443, resolve=lambda h, p: ["93.184.215.14"]) == [
        "93.184.215.14"
    ]


def test_the_loopback_allowance_lets_loopback_through_and_nothing_else() -> None:
    assert LOOPBACK_ALLOWED.check_url("http://127.0.0.1:9/hook") == "http://127.0.0.1:9/hook"
    assert LOOPBACK_ALLOWED.check_url("http://[::1]:9/hook") == "http://[::1]:9/hook"
    assert LOOPBACK_ALLOWED.check_url("http://localhost:9/hook") == "http://localhost:9/hook"
    for host in ["10.1.2.3", "169.254.169.254", "[::ffff:10.0.0.1]", "0", "db.internal"]:
        with pytest.raises(CaseError):
            LOOPBACK_ALLOWED.check_url(f"http://{host}/hook")


def test_the_allowance_is_off_unless_set_explicitly() -> None:
    key = {"HUB_AUTH_KEY_SECRET": "k" * 32}  # seals webhook secrets: required outside test
    for mode in ("dev", "test", "production"):
        assert CaseSettings.from_environ({**key, "HUB_ENV": mode}).allow_loopback is False
    on = CaseSettings.from_environ({**key, "HUB_WEBHOOK_ALLOW_LOOPBACK": "true"})
    assert on.allow_loopback is True
    with pytest.raises(SettingsError, match="HUB_WEBHOOK_ALLOW_LOOPBACK"):
        CaseSettings.from_environ({**key, "HUB_WEBHOOK_ALLOW_LOOPBACK": "maybe"})


@pytest.mark.parametrize(
    "url",
    [
        "http://agency.example.go.id/hook",
        "https://user:pw@agency.example.go.id/hook",
        "https://agency.example.go.id:99999/hook",
        "https://agency.example.go.id/hook#frag",
    ],
)
def test_insecure_or_odd_urls_are_refused(url: str) -> None:
    with pytest.raises(CaseError) as refused:
        STORE.check_url(url)
    assert refused.value.code == "BAD_USER_INPUT"


def test_a_public_https_url_is_accepted() -> None:
    assert STORE.check_url(" https://siskop2mi.example.go.id/hooks/cases ") == (
        "https://siskop2mi.example.go.id/hooks/cases"
    )
    assert STORE.check_url("https://8.8.8.8/hook") == "https://8.8.8.8/hook"
