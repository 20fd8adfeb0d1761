"""`X-EduLedger-Wait-For` means the same against the embedded default (inline projections): a
write's position is reached within the write, and a malformed one is refused alike."""

from __future__ import annotations

from tests.http.api_helpers import API, ok, problem
from tests.worker_support import POSITION, STALE, WAIT_FOR


def test_inline_reads_have_reached_every_write_and_refuse_a_bad_position(client, world, login):
    admin = login("sysadmin")
    written = client.post(f"{API}/teaching-points/{world.tp['101']}/disable", json={"reason": "停办"}, headers=admin)
    assert ok(written)["enabled"] is False
    read = client.get(f"{API}/teaching-points/{world.tp['101']}", headers={**admin, WAIT_FOR: written.headers[POSITION]})
    assert ok(read)["enabled"] is False and STALE not in read.headers
    problem(client.get(f"{API}/teaching-points", headers={**admin, WAIT_FOR: "x1"}), 422, "wait_for.invalid")
    beyond = str(int(written.headers[POSITION]) + 1000)
    problem(client.get(f"{API}/teaching-points", headers={**admin, WAIT_FOR: beyond}), 422, "wait_for.unknown_position")
