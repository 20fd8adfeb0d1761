"""The tamper-evident chain over stored events: intact after real work, and every hand edit of
the event table (changed, deleted, inserted rows) reported at its notification id."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from infrastructure.audit_chain import verify_log
from tests.application.workload import run_workload


def event_rows(container):
    """(notification id, originator id, version, topic) of every stored event, in log order."""
    table = container.log.recorder.events_table_name
    id_col = "notification_id" if container.engine.dialect.name == "postgresql" else "rowid"
    with container.engine.connect() as conn:
        rows = conn.execute(
            text(f"SELECT {id_col}, originator_id, originator_version, topic FROM {table} ORDER BY {id_col}")
        ).all()
    return table, id_col, [tuple(r) for r in rows]


def test_the_chain_is_intact_after_a_workload(world):
    run_workload(world)
    checked, breaks = verify_log(world.container.engine)
    _, _, rows = event_rows(world.container)
    assert breaks == []
    assert checked == len(rows) > 50


def test_edited_deleted_and_forged_rows_are_each_reported(world):
    container = world.container
    run_workload(world)
    table, id_col, rows = event_rows(container)
    ids = [r[0] for r in rows]
    edited_id, deleted_id = ids[10], ids[20]
    deleted = next(r for r in rows if r[0] == deleted_id)

    with container.engine.begin() as conn:
        # 1. Someone rewrites an event's state by hand (same length, so nothing else differs).
        state = conn.execute(text(f"SELECT state FROM {table} WHERE {id_col} = :i"), {"i": edited_id}).scalar_one()
        state = bytes(state)
        forged_state = state.replace(b"2026", b"2025", 1) if b"2026" in state else state[:-1] + b" "
        assert forged_state != state
        conn.execute(text(f"UPDATE {table} SET state = :s WHERE {id_col} = :i"), {"s": forged_state, "i": edited_id})
        # 2. Someone deletes an event.
        conn.execute(text(f"DELETE FROM {table} WHERE {id_col} = :i"), {"i": deleted_id})
        # 3. Someone slips in an event that never happened (here: the deleted one, put back).
        conn.execute(
            text(f"INSERT INTO {table} (originator_id, originator_version, topic, state) VALUES (:o, :v, :t, :s)"),
            {"o": deleted[1], "v": deleted[2], "t": deleted[3], "s": b'{"forged": true}'},
        )
        forged_id = conn.execute(text(f"SELECT max({id_col}) FROM {table}")).scalar_one()
    assert forged_id > ids[-1]

    checked, breaks = verify_log(container.engine)
    found = [(b.notification_id, b.kind) for b in breaks]
    assert found == [(edited_id, "altered"), (deleted_id, "removed"), (forged_id, "inserted")]
    assert all(b.detail for b in breaks)
    # Everything else still verifies: one tampered row is reported once, not for every row after it.
    assert checked == len(ids) - 1


@pytest.mark.parametrize("kind", ["altered", "removed"])
def test_tampering_with_the_last_event_is_caught_too(world, kind):
    container = world.container
    table, id_col, rows = event_rows(container)
    last = rows[-1][0]
    with container.engine.begin() as conn:
        if kind == "altered":
            conn.execute(
                text(f"UPDATE {table} SET originator_version = originator_version + 100 WHERE {id_col} = :i"), {"i": last}
            )
        else:
            conn.execute(text(f"DELETE FROM {table} WHERE {id_col} = :i"), {"i": last})
    _, breaks = verify_log(container.engine)
    assert [(b.notification_id, b.kind) for b in breaks] == [(last, kind)]


def test_a_chain_recomputed_without_the_key_does_not_verify(world):
    """Editing a row and rewriting its link with another key is still an alteration."""
    from infrastructure import audit_chain

    container = world.container
    table, id_col, rows = event_rows(container)
    target = rows[3][0]
    with container.engine.connect() as conn:
        prev = conn.execute(text("SELECT hash FROM event_chain WHERE notification_id < :i ORDER BY notification_id DESC LIMIT 1"),
                            {"i": target}).scalar_one()
        row = conn.execute(text(f"SELECT originator_id, originator_version, topic FROM {table} WHERE {id_col} = :i"),
                           {"i": target}).one()
    forged_state = b'{"forged": true}'
    saved_key = audit_chain._key
    try:
        audit_chain.configure_key("a-guessed-key")
        forged_link = audit_chain.link(prev, target, row[0], row[1], row[2], forged_state)
    finally:
        audit_chain._key = saved_key
    with container.engine.begin() as conn:
        conn.execute(text(f"UPDATE {table} SET state = :s WHERE {id_col} = :i"), {"s": forged_state, "i": target})
        conn.execute(text("UPDATE event_chain SET hash = :h WHERE notification_id = :i"), {"h": forged_link, "i": target})
    _, breaks = verify_log(container.engine)
    assert (breaks[0].notification_id, breaks[0].kind) == (target, "altered")
