"""Tampering by someone who holds the chain's HMAC key and can write to the database: the chain
alone still verifies (the threat is real), a signed checkpoint kept elsewhere names every altered,
removed or inserted row exactly. Plus the row-exact walk: a middle row deleted, with or without
its link, is named, not the row after it."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text

from infrastructure import audit_chain
from infrastructure import audit_checkpoints as cps
from infrastructure.audit_chain import CHAIN_TABLE, GENESIS, raw_events, verify_log

SIGNER = Ed25519PrivateKey.generate()
PUBLIC = SIGNER.public_key()


def table_of(engine):
    return audit_chain._events_table(engine)


def ids_of(engine) -> list[int]:
    return [e.id for e in raw_events(engine)]


def checkpoint(engine) -> cps.Checkpoint:
    return cps.take(engine, SIGNER, None, datetime(2026, 9, 1, 2, tzinfo=UTC))


def found(breaks) -> list[tuple[int, str]]:
    return [(b.notification_id, b.kind) for b in breaks]


def relink(engine) -> None:
    """What a holder of the HMAC key does after editing the events: recompute the whole chain."""
    events = list(raw_events(engine))
    links = audit_chain.links_for(GENESIS, [e.id for e in events], events)
    with engine.begin() as conn:
        conn.execute(text(f"DELETE FROM {CHAIN_TABLE}"))
        for nid, link in links:
            conn.execute(text(f"INSERT INTO {CHAIN_TABLE} (notification_id, hash) VALUES (:n, :h)"), {"n": nid, "h": link})


def delete_events(engine, ids: list[int], links_too: bool) -> None:
    table, id_col = table_of(engine)
    with engine.begin() as conn:
        for nid in ids:
            conn.execute(text(f"DELETE FROM {table} WHERE {id_col} = :i"), {"i": nid})
            if links_too:
                conn.execute(text(f"DELETE FROM {CHAIN_TABLE} WHERE notification_id = :i"), {"i": nid})


def forget_how_far_the_log_reached(engine, end: int) -> None:
    """The careful intruder also winds back the projections' positions and the recorded checkpoints."""
    with engine.begin() as conn:
        conn.execute(text("UPDATE projection_tracking SET position = :e WHERE position > :e"), {"e": end})
        conn.execute(text("DELETE FROM audit_checkpoints"))


def test_an_event_altered_and_relinked_with_the_key_is_named_by_the_checkpoint(world):
    engine = world.container.engine
    cp = checkpoint(engine)
    target = ids_of(engine)[5]
    table, id_col = table_of(engine)
    with engine.begin() as conn:
        state = bytes(conn.execute(text(f"SELECT state FROM {table} WHERE {id_col} = :i"), {"i": target}).scalar_one())
        forged = state.replace("玄武".encode(), "秦淮".encode()) if "玄武".encode() in state else state + b" "
        conn.execute(text(f"UPDATE {table} SET state = :s WHERE {id_col} = :i"), {"s": forged, "i": target})
    relink(engine)

    checked, breaks = verify_log(engine)
    assert breaks == [] and checked == len(ids_of(engine))  # the chain alone cannot see it
    _, breaks = cps.verify_all(engine, PUBLIC, [cp])
    assert found(breaks) == [(target, "altered")]
    assert "重算" in breaks[0].detail


def test_a_cut_off_tail_is_named_by_the_checkpoint_even_when_every_trace_in_the_database_is_gone(world):
    engine = world.container.engine
    cp = checkpoint(engine)
    cps.record(engine, cp)
    ids = ids_of(engine)
    tail = ids[-3:]
    delete_events(engine, tail, links_too=True)

    # The projections' positions and the recorded checkpoint still remember how far the log reached.
    _, breaks = verify_log(engine)
    assert found(breaks) == [(tail[0], "removed")]
    assert breaks[0].last_id == tail[-1] and str(tail[-1]) in breaks[0].detail

    forget_how_far_the_log_reached(engine, ids[-4])
    assert verify_log(engine)[1] == []
    _, breaks = cps.verify_all(engine, PUBLIC, [cp])
    assert found(breaks) == [(nid, "removed") for nid in tail]


@pytest.mark.parametrize("links_too", [False, True], ids=["event-only", "event-and-link"])
def test_a_deleted_middle_row_is_named_exactly(world, links_too):
    engine = world.container.engine
    cp = checkpoint(engine)
    ids = ids_of(engine)
    target = ids[len(ids) // 2]
    delete_events(engine, [target], links_too)

    checked, breaks = verify_log(engine)
    assert found(breaks) == [(target, "removed")]
    assert breaks[0].ids == str(target)  # exactly that row, not a range nor the next row "altered"
    assert checked == len(ids) - 1
    assert found(cps.verify_all(engine, PUBLIC, [cp])[1]) == [(target, "removed")]


def test_a_middle_row_deleted_and_relinked_with_the_key_is_named_by_the_checkpoint(world):
    engine = world.container.engine
    cp = checkpoint(engine)
    target = ids_of(engine)[3]
    delete_events(engine, [target], links_too=True)
    relink(engine)

    assert verify_log(engine)[1] == []
    assert found(cps.verify_all(engine, PUBLIC, [cp])[1]) == [(target, "removed")]


def test_a_forged_row_slipped_in_and_relinked_is_named_by_the_checkpoint(world):
    engine = world.container.engine
    cp = checkpoint(engine)
    table, id_col = table_of(engine)
    with engine.begin() as conn:
        # Before the first event, where no id is free otherwise.
        conn.execute(
            text(f"INSERT INTO {table} ({id_col}, originator_id, originator_version, topic, state) VALUES (0, :o, 1, :t, :s)"),
            {"o": uuid.uuid4() if engine.dialect.name == "postgresql" else uuid.uuid4().hex,
             "t": "domains.organisation.teaching_point:TeachingPoint.Registered", "s": b'{"forged": true}'},
        )
    relink(engine)

    assert verify_log(engine)[1] == []
    assert found(cps.verify_all(engine, PUBLIC, [cp])[1]) == [(0, "inserted")]


def test_a_row_inserted_without_its_link_is_named_by_the_walk(world):
    engine = world.container.engine
    table, _ = table_of(engine)
    with engine.begin() as conn:
        conn.execute(
            text(f"INSERT INTO {table} (originator_id, originator_version, topic, state) VALUES (:o, 1, 'x:Y', :s)"),
            {"o": uuid.uuid4() if engine.dialect.name == "postgresql" else uuid.uuid4().hex, "s": b"{}"},
        )
    forged = ids_of(engine)[-1]
    assert found(verify_log(engine)[1]) == [(forged, "inserted")]


def test_a_checkpoint_edited_or_signed_by_another_key_does_not_count(world):
    engine = world.container.engine
    cp = checkpoint(engine)
    moved = cps.Checkpoint(**{**cp.__dict__, "position": cp.position - 1})
    other = cps.take(engine, Ed25519PrivateKey.generate(), None, datetime(2026, 9, 1, tzinfo=UTC))
    assert cps.signature_valid(cp, PUBLIC)
    _, breaks = cps.verify_all(engine, PUBLIC, [moved, other])
    assert sorted(found(breaks)) == sorted([(moved.position, "checkpoint"), (other.position, "checkpoint")])


def test_checkpoints_cover_the_rows_since_the_previous_one(world):
    engine = world.container.engine
    first = checkpoint(engine)
    world.container.organisation.edit_contact_details(
        world.actor("xuanwu"), world.tp["101"], "南京市玄武区北京东路41号", "李娟", "025-84321234", "调整"
    )
    second = cps.take(engine, SIGNER, first.position, datetime(2026, 9, 2, tzinfo=UTC))
    assert second.since == first.position < second.position
    assert set(second.rows()) == {i for i in ids_of(engine) if i > first.position}
    line = second.line()
    assert cps.from_line(line) == second and cps.signature_valid(cps.from_line(line), PUBLIC)
    assert cps.verify_all(engine, PUBLIC, [first, second])[1] == []


def test_a_rolled_back_write_leaves_no_break(world):
    """PostgreSQL's sequence skips the ids of a rolled-back insert; the next row still chains
    from the link before the gap, so a legitimate gap verifies and only a deletion is named."""
    from domains.shared.errors import DomainError

    c = world.container
    stale = c.store.get(world.tp["101"])
    c.organisation.edit_contact_details(world.actor("xuanwu"), world.tp["101"], "地址一", "李娟", "025-84321234", "一")
    stale.edit_contact_details("地址二", "李娟", "025-84321234")
    with pytest.raises(DomainError):
        c.store.save(stale)
    c.organisation.edit_contact_details(world.actor("xuanwu"), world.tp["101"], "地址三", "李娟", "025-84321234", "三")
    ids = ids_of(c.engine)
    if c.engine.dialect.name == "postgresql":
        assert any(b - a > 1 for a, b in itertools.pairwise(ids))  # the gap is there
    assert verify_log(c.engine)[1] == []


def test_a_row_altered_right_after_a_legitimate_gap_is_named_exactly_by_the_checkpoint(world):
    """Right after a gap (on PostgreSQL, a rolled-back write) the walk cannot tell a deleted row
    from an altered one and names the gap; a checkpoint knows which ids existed."""
    engine = world.container.engine
    ids = ids_of(engine)
    gap, target = ids[6], ids[7]
    delete_events(engine, [gap], links_too=True)
    relink(engine)  # stands in for a rollback: the row after the gap chains from the one before
    cp = checkpoint(engine)
    table, id_col = table_of(engine)
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE {table} SET originator_version = originator_version + 100 WHERE {id_col} = :i"), {"i": target})

    assert found(verify_log(engine)[1]) == [(gap, "removed")]
    assert found(cps.verify_all(engine, PUBLIC, [cp])[1]) == [(target, "altered")]
