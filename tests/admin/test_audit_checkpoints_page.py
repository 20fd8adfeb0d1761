"""The auditor's chain page lists the latest signed checkpoints and whether the log still extends
each; a rewrite by a holder of the HMAC key shows there, named by row."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from playwright.sync_api import expect
from sqlalchemy import text

from infrastructure import audit_checkpoints as cps
from tests.application.test_audit_checkpoints import ids_of, relink, table_of

pytestmark = pytest.mark.browser


@pytest.fixture
def signing_key(tmp_path):
    private, public = tmp_path / "signing.pem", tmp_path / "public.pem"
    cps.generate_key_pair(private, public)
    return cps.load_signing_key(private), public


@pytest.fixture
def settings(settings, signing_key):
    return dataclasses.replace(settings, checkpoint_public_key=signing_key[1])


def test_the_chain_page_lists_the_latest_checkpoints_and_which_still_hold(sign_in, world, signing_key):
    engine, key = world.container.engine, signing_key[0]
    page = sign_in("shenji")
    page.goto("/admin/audit/chain")
    expect(page.get_by_test_id("no-checkpoints")).to_be_visible()
    expect(page.get_by_test_id("no-public-key")).to_have_count(0)

    first = cps.take(engine, key, None, datetime(2026, 9, 1, 1, tzinfo=UTC))
    cps.record(engine, first)
    world.container.organisation.edit_contact_details(
        world.actor("xuanwu"), world.tp["101"], "南京市玄武区北京东路41号", "李娟", "025-84321234", "调整"
    )
    second = cps.take(engine, key, first.position, datetime(2026, 9, 1, 2, tzinfo=UTC))
    cps.record(engine, second)

    page.click("text=重新校验")
    rows = page.get_by_test_id("checkpoint")
    expect(rows).to_have_count(2)
    newest = rows.first.locator("td").all_inner_texts()
    assert newest[0] == str(second.position) and newest[1] == "2026-09-01 10:00:00"
    assert newest[2].startswith(second.link[:16]) and "日志仍延续该检查点" in newest[4]
    expect(rows.nth(1).locator("td").first).to_have_text(str(first.position))

    # A holder of the HMAC key edits the newest event and relinks: the walk sees nothing.
    target = ids_of(engine)[-1]
    table, id_col = table_of(engine)
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE {table} SET originator_version = originator_version + 100 WHERE {id_col} = :i"), {"i": target})
    relink(engine)
    page.click("text=重新校验")
    breaks = page.get_by_test_id("breaks").locator("tbody tr")
    expect(breaks).to_have_count(1)
    cells = breaks.first.locator("td").all_inner_texts()
    assert cells[0] == str(target) and "内容被修改" in cells[1] and "重算" in cells[2]
    assert "不符" in rows.first.locator("td").nth(4).inner_text()
    assert "日志仍延续该检查点" in rows.nth(1).locator("td").nth(4).inner_text()

    # A copy recorded under another signing key cannot be judged; a garbled copy is left out.
    cps.record(engine, cps.take(engine, Ed25519PrivateKey.generate(), None, datetime(2026, 9, 1, 3, tzinfo=UTC)))
    with engine.begin() as conn:
        conn.execute(cps.checkpoints_table.insert().values(position=1, link="x", taken_at="x", key_id="x", line="{garbled"))
    page.click("text=重新校验")
    expect(rows).to_have_count(3)
    assert "无法验证" in rows.first.locator("td").nth(4).inner_text()
    page.screenshot(path="/tmp/eduledger_audit_checkpoints.png", full_page=True)
