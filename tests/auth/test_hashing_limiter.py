"""Secret hashing runs on a CapacityLimiter of its own: a flood of wrong secrets never takes the
default thread pool the hub's audit writes use."""

from __future__ import annotations

import threading
from typing import Any

import anyio
import httpx
import pytest

import auth.oauth_models
from auth.routes import HASH_THREADS

pytestmark = pytest.mark.anyio


async def test_a_flood_of_wrong_secrets_hashes_on_its_own_limiter(
    http: httpx.AsyncClient, demo: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    original = auth.oauth_models.verify_secret
    seen: list[tuple[int, int]] = []  # (default pool threads borrowed, hashes running at once)
    running = 0
    lock = threading.Lock()

    def watched(secret: str, stored: str | None) -> bool:
        nonlocal running
        with lock:
            running += 1
        try:
            default = anyio.from_thread.run_sync(
                lambda: anyio.to_thread.current_default_thread_limiter().borrowed_tokens
            )
            with lock:
                seen.append((default, running))
            return original(secret, stored)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(auth.oauth_models, "verify_secret", watched)

    async def guess(n: int) -> int:
        answer = await http.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("p2mi-system" if n % 2 else "ghost-client", f"wrong-secret-{n:04d}-xxxxxxxx"),
        )
        return answer.status_code

    async with anyio.create_task_group() as group:
        for n in range(12):
            group.start_soon(guess, n)
    assert len(seen) == 12  # every guess hashed, the unknown client too (S11)
    assert max(default for default, _ in seen) == 0
    assert max(at_once for _, at_once in seen) <= HASH_THREADS
