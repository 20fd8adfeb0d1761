"""Auditors: the audit-chain page finds a tampered event row, any record's history replays to
a version, and an auditor's pages offer no action (and their posts are refused)."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from tests.admin.test_learners import admit

pytestmark = pytest.mark.browser


def tamper_first_event_of(engine, aggregate_id: uuid.UUID) -> int:
    """Edits a stored event row by hand, as an intruder with database access would."""
    postgres = engine.dialect.name == "postgresql"
    id_col = "notification_id" if postgres else "rowid"
    with engine.begin() as conn:
        table = "stored_events"
        if postgres:  # the PostgreSQL recorder names the table after the application
            table = next(
                t for t in ("eduledger_events", "stored_events")
                if conn.execute(text("SELECT to_regclass(:t)"), {"t": t}).scalar() is not None
            )
        rows = conn.execute(text(f"SELECT {id_col}, originator_id, state FROM {table} ORDER BY {id_col}")).all()
        nid, _, state = next(r for r in rows if uuid.UUID(str(r[1])) == aggregate_id)
        forged = bytes(state).replace("玄武".encode(), "秦淮".encode()) + b" "
        conn.execute(text(f"UPDATE {table} SET state = :s WHERE {id_col} = :n"), {"s": forged, "n": nid})
    return int(nid)


def test_chain_page_reports_an_intact_chain_then_the_tampered_row(sign_in, world, page):
    page = sign_in("xuanwu")
    response = page.goto("/admin/audit/chain")
    assert response.status == 403 and page.get_by_test_id("error").is_visible()

    page = sign_in("shenji")
    page.goto("/admin/audit/chain")
    assert "链完整" in page.get_by_test_id("chain-ok").inner_text()
    expect(page.get_by_test_id("chain-broken")).to_have_count(0)

    nid = tamper_first_event_of(world.container.engine, world.tp["101"])
    page.click("text=重新校验")
    assert "链已断裂" in page.get_by_test_id("chain-broken").inner_text()
    breaks = page.get_by_test_id("breaks").locator("tbody tr")
    expect(breaks).to_have_count(1)
    cells = breaks.first.locator("td").all_inner_texts()
    assert cells[0] == str(nid) and "内容被修改" in cells[1] and "被修改" in cells[2]
    page.screenshot(path="/tmp/eduledger_audit_chain.png", full_page=True)


def test_history_of_any_record_replays_to_a_version(sign_in, world, page):
    world.container.organisation.edit_contact_details(
        world.actor("xuanwu"), world.tp["101"], "南京市玄武区北京东路41号", "李娟,陈刚", "025-84321234", "招生人员调整"
    )
    page = sign_in("shenji")
    page.goto("/admin/audit/aggregates")
    form = page.get_by_test_id("search-form")
    form.locator("select[name=by]").select_option("record_id")
    form.locator("input[name=q]").fill("not-an-id")
    form.locator("button").click()
    assert "记录ID格式不正确" in page.get_by_test_id("field-error").inner_text()
    form.locator("input[name=q]").fill(str(world.tp["101"]))
    form.locator("button").click()
    page.get_by_test_id("history-link").click()
    audit = page.get_by_test_id("audit-tab").inner_text()
    assert "登记" in audit and "修改联系信息" in audit and "招生人员调整" in audit and "xuanwu" in audit
    state = page.get_by_test_id("state").inner_text()
    assert "版本 2" in state and "陈刚" in state and "（当前）" in state and "招生人员" in state

    page.click("text=版本 1：登记")
    state = page.get_by_test_id("state").inner_text()
    assert "版本 1" in state and "陈刚" not in state and "李娟" in state

    page.fill("input[name=version]", "")
    page.evaluate("() => { const v = document.querySelector('input[name=version]'); v.removeAttribute('max'); v.value = '9'; }")
    page.click("button:has-text('回放')")
    assert "只有 2 个版本" in page.get_by_test_id("error").inner_text()

    response = page.goto(f"/admin/audit/aggregates/{uuid.uuid4()}")
    assert response.status == 404

    page = sign_in("sysadmin")
    response = page.goto(f"/admin/audit/aggregates/{world.tp['101']}")
    assert response.status == 403


def test_an_auditors_pages_offer_no_action_and_their_posts_are_refused(sign_in, world, page):
    admit(world, 1)
    page = sign_in("shenji")
    from application.common.filters import RosterFilter
    from application.common.queries import Page
    from application.learners.queries import list_learners

    with world.container.engine.connect() as conn:
        learner_id = list_learners(conn, world.actor("shenji"), Page(), RosterFilter()).items[0]["id"]
    pages = [
        "/admin/users",
        f"/admin/users/{world.accounts['xuanwu']}",
        "/admin/learners",
        f"/admin/learners/{learner_id}",
        "/admin/teaching-points",
        f"/admin/teaching-points/{world.tp['101']}",
        "/admin/audit/chain",
        f"/admin/audit/aggregates/{learner_id}",
    ]
    for path in pages:
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.locator("main form[method=post]"), path).to_have_count(0)
        expect(page.locator("main a[href$='/new'], main a[href$='/delete']"), path).to_have_count(0)
        buttons = set(page.locator("main button").all_inner_texts())
        assert buttons <= {"查询", "查看", "回放"}, (path, buttons)
    page.goto(f"/admin/learners/{learner_id}")
    assert "录取入学" in page.get_by_test_id("audit-tab").inner_text()
    page.screenshot(path="/tmp/eduledger_learner_auditor.png", full_page=True)

    token = next(c["value"] for c in page.context.cookies() if c["name"] == "eduledger_csrf")
    for path in (f"/admin/users/{world.accounts['xuanwu']}/disable", f"/admin/teaching-points/{world.tp['101']}/disable"):
        response = page.request.post(path, form={"_csrf_token": token, "reason": "x"})
        assert response.status == 403 and "审计角色只能查看" in response.text()
    page.goto(f"/admin/users/{world.accounts['xuanwu']}")
    assert page.get_by_test_id("user-status").inner_text() == "启用"
