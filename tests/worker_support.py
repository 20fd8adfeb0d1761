"""Worker mode in tests: the production layout, where read models lag behind the writes.

A test module opts in by overriding the `settings` and `world` fixtures with
`worker_settings(settings)` and `caught_up(world, container)`; nothing then moves
the read models but a `Follower` (a thread doing what `eduledger worker` does) or the test's own
`runner.catch_up()`, so each test says exactly when they catch up.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

from tests.conftest import PASSWORD

POSITION = "X-EduLedger-Position"
WAIT_FOR = "X-EduLedger-Wait-For"
STALE = "X-EduLedger-Stale"


def worker_settings(settings: Any, read_wait_seconds: float = 30.0) -> Any:
    # A generous wait: a loaded two-core machine may take a while to catch up.
    return dataclasses.replace(settings, projections="worker", read_wait_seconds=read_wait_seconds)


def caught_up(world: Any, container: Any) -> Any:
    container.runner.catch_up()  # the set-up as a worker that caught up would leave it
    return world


class Follower:
    """`eduledger worker`'s projection follower in a thread of the test process."""

    def __init__(self, container: Any, interval: float = 0.05) -> None:
        self.stop = threading.Event()
        self.thread = threading.Thread(target=container.runner.follow, args=(self.stop, interval), daemon=True)

    def __enter__(self) -> Follower:
        self.thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self.stop.set()
        self.thread.join(timeout=60)
        assert not self.thread.is_alive()


class WaitingClient:
    """A well-behaved API client of a worker-mode deployment: it sends back, with each request,
    the position its last write returned, so it always reads its own writes."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.position: str | None = None
        self.tokens: dict[str, dict[str, str]] = {}

    def login(self, username: str, password: str = PASSWORD) -> dict[str, str]:
        """Bearer-token headers for the user (one session each), like the `login` fixture."""
        if username not in self.tokens:
            r = self.post("/api/v1/auth/login", json={"username": username, "password": password})
            assert r.status_code == 200, r.text
            self.tokens[username] = {"Authorization": f"Bearer {r.json()['token']}"}
        return self.tokens[username]

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", None) or {})
        if self.position is not None:
            headers.setdefault(WAIT_FOR, self.position)
        response = self.client.request(method, url, headers=headers, **kwargs)
        self.position = response.headers.get(POSITION, self.position)
        assert STALE not in response.headers, f"{method} {url} read before its own write"
        return response

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Any:
        return self.request("POST", url, **kwargs)

    def patch(self, url: str, **kwargs: Any) -> Any:
        return self.request("PATCH", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> Any:
        return self.request("PUT", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> Any:
        return self.request("DELETE", url, **kwargs)
