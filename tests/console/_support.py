"""Signing in through the real login page, and small page helpers for the console tests."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

from auth.totp import code_at
from tests.console.conftest import PASSWORD, WORKER, WORKER_WULAN, ConsoleStack

TIMEOUT = 15_000  # ms: a worker page reads four agencies over loopback


def new_page(browser: Any, *, width: int = 1280, height: int = 900) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.script_errors = errors  # the test asserts none at the end
    return page


# per hub and user: the TOTP secret (the demo's, or read off the enrolment page) and the
# "remember this device" cookie, so an officer gives a code once per stack, as on their phone
TOTP_SECRETS: dict[tuple[str, str], str] = {}
DEVICES: dict[tuple[str, str], dict[str, Any]] = {}


def sign_in(page: Any, console: ConsoleStack, username: str, password: str | None = None) -> None:
    """Console -> Masuk -> the hub's login page (password, then for an officer the TOTP code
    once per stack: enrolment or the demo's secret) -> back with a code -> signed in."""
    officer = console.stack.credentials["users"]["embassy-officer"]
    if password is None:
        password = officer["password"] if username == officer["username"] else PASSWORD
    key = (console.url, username)
    if username == officer["username"]:
        TOTP_SECRETS.setdefault(key, officer["totp_secret"])
    if key in DEVICES:
        page.context.add_cookies([DEVICES[key]])
    page.goto(console.url)
    page.click("#sign-in")
    page.wait_for_url("**/oauth/authorize?**")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[value=approve]")
    page.wait_for_selector("#who, #code")
    if page.locator("#code").count():
        if page.locator("#totp-secret").count():  # first sign-in: enrolment
            TOTP_SECRETS[key] = page.inner_text("#totp-secret").replace(" ", "")
        page.fill("#code", fresh_code(TOTP_SECRETS[key]))
        page.check("input[name=remember]")
        page.click("button[value=approve]")
        page.wait_for_selector("#who")
        cookie = next(c for c in page.context.cookies() if c["name"] == "pmihub_device")
        DEVICES[key] = cookie
    worker = username in (WORKER, WORKER_WULAN)
    assert page.inner_text("#who") == ("pekerja (data saya sendiri)" if worker else username)


_LAST_STEP: dict[str, int] = {}


def fresh_code(secret: str) -> str:
    """A TOTP code no earlier sign-in used (the hub refuses a replayed one): this step's, or
    the next one's (the hub allows one step of drift), else wait for the next step."""
    step = int(time.time()) // 30
    last = _LAST_STEP.get(secret, -1)
    if last >= step + 1:
        time.sleep(30 - time.time() % 30 + 0.1)
        step = int(time.time()) // 30
    step = max(step, last + 1)
    _LAST_STEP[secret] = step
    return code_at(secret, step * 30)


def officer(console: ConsoleStack) -> str:
    return console.stack.credentials["users"]["embassy-officer"]["username"]


def focus_lands_on(page: Any, element_id: str) -> None:
    """Wait for the focus to reach ``element_id``: a route's page moves it once drawn, after the
    click that changed the hash has returned."""
    page.wait_for_function(
        "id => document.activeElement && document.activeElement.id === id", arg=element_id
    )


def open_worker(page: Any, console: ConsoleStack, worker_id: str) -> None:
    page.goto(f"{console.url}#/worker/{worker_id}")
    page.wait_for_selector("#section-sources")


PHONE = {"width": 360, "height": 780}
DESK = {"width": 1280, "height": 800}
VIEWPORTS = {"phone": PHONE, "desk": DESK}
DOCS = Path(__file__).parents[2] / "docs" / "console"


def shoot(page: Any, name: str, tmp: Path, *, full_page: bool = False) -> Path:
    """A screenshot of ``page``; written into docs/console/ as ``name``.png only with
    PMIHUB_UPDATE_SCREENSHOT=1 (``make console-screenshots``), so a test run leaves the tree
    as it was."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    shot = tmp / f"{name}.png"
    page.screenshot(path=str(shot), full_page=full_page)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 5_000
    if os.environ.get("PMIHUB_UPDATE_SCREENSHOT") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, DOCS / f"{name}.png")
    return shot


def axe_violations(page: Any, source: str) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now (WCAG 2.1 AA)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(source)
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                                'best-practice']},
                resultTypes: ['violations'],
            });
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }"""
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]


# Words split across lines anywhere in the page (a line may end after a hyphen; a token of
# more than 24 characters, such as a long address without spaces, may wrap).
BROKEN_WORDS = """() => {
    const broken = [];
    const walker = document.createTreeWalker(document.querySelector('main'),
                                             NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        const parent = node.parentElement;
        if (!parent.offsetParent || parent.closest('thead, .visually-hidden')) continue;
        const re = /[^\\s-]+/g;  // a line may end after a hyphen ("pra-|pemberangkatan")
        let m;
        while ((m = re.exec(node.textContent))) {
            if (m[0].length > 24) continue;
            const range = document.createRange();
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].length);
            const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            if (lines.size > 1) broken.push(m[0]);
        }
    }
    return broken;
}"""


def open_case_form(page: Any) -> None:
    """Show the open-case form once the page has settled (a case just opened re-reads the
    worker: a click while the verdict is replaced could land beside the button)."""
    page.wait_for_load_state("networkidle")
    toggle = page.locator("[aria-controls=open-case]")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.wait_for_selector("#open-case:not([hidden])")
