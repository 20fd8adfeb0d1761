"""学籍信息 in the admin UI (requirements/learners.md §2 变更学籍信息, ADR 0009): the teaching point changes its
learner's mobile at once and asks for a change of name with a proof file; academic affairs
reviews it from the 学籍变更审核 queue (a rejection needs a reason) and approves; the record and its
修改和处理记录 follow; another teaching point cannot open the record. Set-up goes through the API."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.admin.test_enrolment import student_number
from tests.admin.test_learners import _download
from tests.admin.test_status_changes import audit_steps
from tests.http.api_helpers import API, ok
from tests.http.selection_support import learner, learner_login

browser = pytest.mark.browser
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def field(page, name: str) -> str:
    return page.locator(f"dd[data-field={name}]").inner_text()


@browser
def test_the_teaching_point_changes_contact_details_and_a_name_change_is_reviewed(sign_in, world, client, login, tmp_path):
    lid = learner(client, login, world)
    number = student_number(world, lid)

    page = sign_in("xuanwu")
    page.goto(f"/admin/learners/{lid}")
    page.get_by_test_id("record-link").click()
    assert page.get_by_test_id("record-status").inner_text() == "未确认"
    old_name = field(page, "name")

    # 联系方式: a malformed mobile is refused in Chinese and what was entered is kept.
    form = page.get_by_test_id("contact-form")
    form.locator("input[name=mobile]").fill("1380000111")
    form.locator("input[name=reason]").fill("学生换号")
    page.get_by_test_id("save-contact").click()
    assert "手机" in page.get_by_test_id("error").inner_text()
    assert form.locator("input[name=mobile]").input_value() == "1380000111"
    form.locator("input[name=mobile]").fill("13800001111")
    page.get_by_test_id("save-contact").click()
    assert "联系方式已修改" in page.locator(".flash.ok").inner_text()
    assert field(page, "mobile") == "13800001111"
    assert audit_steps(page)[-1] == ["变更联系方式", "xuanwu"]

    # A change of name with a proof file: a PNG named .pdf is refused by its content.
    change = page.get_by_test_id("change-form")
    change.locator("input[name=name]").fill("王晓明")
    change.locator("textarea[name=reason]").fill("户籍改名")
    page.set_input_files("input[name=attachments]", files=[
        {"name": "改名证明.pdf", "mimeType": "application/pdf", "buffer": PNG},
    ])
    page.get_by_test_id("submit-change").click()
    assert "PDF" in page.get_by_test_id("error").inner_text()
    assert change.locator("input[name=name]").input_value() == "王晓明"
    assert change.locator("textarea[name=reason]").input_value() == "户籍改名"
    page.set_input_files("input[name=attachments]", files=[
        {"name": "改名证明.pdf", "mimeType": "application/pdf", "buffer": PDF},
    ])
    page.get_by_test_id("submit-change").click()
    assert "学籍信息变更申请已提交" in page.locator(".flash.ok").inner_text()
    assert page.get_by_test_id("status").inner_text() == "待审核"
    row = page.get_by_test_id("changes").locator("tr[data-field=name]")
    assert (row.get_by_test_id("before").inner_text(), row.get_by_test_id("after").inner_text()) == (old_name, "王晓明")
    expect(page.get_by_test_id("review")).to_have_count(0)  # the teaching point does not review

    # Academic affairs: the 待审核 queue, the proof file, a rejection without a reason, approval.
    page = sign_in("jiaowu")
    page.click("nav.menu >> text=学籍变更审核")
    expect(page.locator("[data-testid=tabs] [aria-current=page]")).to_have_text("待审核 1")
    queued = page.get_by_test_id("record-change-row").filter(has_text=number)
    assert f"姓名：{old_name} → 王晓明" in queued.get_by_test_id("summary").inner_text()
    rows = _download(page, tmp_path)
    assert rows[0][:3] == ["申请时间", "学号", "姓名"] and [r[1] for r in rows[1:]] == [number]
    queued.locator("a").click()
    link = page.get_by_test_id("attachments").locator("a")
    assert link.inner_text() == "改名证明.pdf"
    proof = page.request.get(link.get_attribute("href"))
    assert proof.status == 200 and proof.body() == PDF
    page.get_by_test_id("reject").click()
    assert "原因" in page.get_by_test_id("error").inner_text()
    assert page.get_by_test_id("status").inner_text() == "待审核"
    page.fill("[data-testid=review] input[name=comment]", "与户口本一致")
    page.get_by_test_id("approval").click()
    assert "审核通过，学籍信息已变更" in page.locator(".flash.ok").inner_text()
    assert page.get_by_test_id("status").inner_text() == "审核通过"
    expect(page.get_by_test_id("review")).to_have_count(0)
    assert audit_steps(page) == [["申请变更学籍信息", "xuanwu"], ["审核通过", "jiaowu"]]
    page.goto("/admin/record-changes")
    expect(page.get_by_test_id("record-change-row")).to_have_count(0)

    # The record shows the new name; its history shows the request and its handling.
    page = sign_in("xuanwu")
    page.goto(f"/admin/learners/{lid}/record")
    assert page.get_by_test_id("record-status").inner_text() == "审核通过"
    assert field(page, "name") == "王晓明" and field(page, "mobile") == "13800001111"
    [handled] = page.get_by_test_id("request-row").all()
    assert handled.get_by_test_id("status").inner_text() == "审核通过"
    assert "与户口本一致" in handled.inner_text() and "王晓明" in handled.inner_text()
    expect(page.get_by_test_id("change-form")).to_have_count(1)  # a new request may be made again
    assert audit_steps(page)[-3:] == [
        ["变更联系方式", "xuanwu"], ["发起学籍信息变更申请（待审核）", "xuanwu"], ["学籍信息变更（审核通过）", "jiaowu"],
    ]

    # Another teaching point cannot open 玄武's learner record.
    page = sign_in("gulou")
    page.goto(f"/admin/learners/{lid}/record")
    assert "不属于您的教学点" in page.get_by_test_id("error").inner_text()
    expect(page.get_by_test_id("contact-form")).to_have_count(0)


@browser
def test_a_rejected_request_keeps_the_record_and_its_reason_in_the_history(sign_in, world, client, login):
    lid = learner(client, login, world)
    me = learner_login(client, world, lid)
    ok(client.post(f"{API}/learners/{lid}/record-changes", json={"changes": {"ethnicity": "回族"}, "reason": "民族登记错误"},
                   headers=me), 201)

    page = sign_in("shenji")  # auditors read the queue and the request, and review nothing
    page.click("nav.menu >> text=学籍变更审核")
    row = page.get_by_test_id("record-change-row")
    assert "学生" in row.inner_text() and "民族：汉族 → 回族" in row.get_by_test_id("summary").inner_text()
    row.locator("a").click()
    expect(page.get_by_test_id("review")).to_have_count(0)

    page = sign_in("jiaowu")
    page.click("nav.menu >> text=学籍变更审核")
    page.get_by_test_id("record-change-row").locator("a").click()
    page.fill("[data-testid=review] textarea[name=reason]", "与户口本一致，无需修改")
    page.get_by_test_id("reject").click()
    assert "已驳回学籍信息变更申请" in page.locator(".flash.ok").inner_text()
    assert page.get_by_test_id("status").inner_text() == "审核驳回"
    assert page.get_by_test_id("reject-reason").inner_text() == "与户口本一致，无需修改"
    page.goto("/admin/record-changes?tab=all")
    assert page.get_by_test_id("record-change-row").get_by_test_id("status").inner_text() == "审核驳回"

    page = sign_in("xuanwu")
    page.goto(f"/admin/learners/{lid}/record")
    assert page.get_by_test_id("record-status").inner_text() == "审核驳回"
    assert field(page, "ethnicity") == "汉族"
    [handled] = page.get_by_test_id("request-row").all()
    assert "学生" in handled.inner_text() and "与户口本一致，无需修改" in handled.inner_text()
    # While the teaching point's own request awaits review, no second one can be made.
    page.get_by_test_id("change-form").locator("input[name=prior_major]").fill("审计")
    page.get_by_test_id("submit-change").click()
    assert page.get_by_test_id("status").inner_text() == "待审核"
    page.goto(f"/admin/learners/{lid}/record")
    assert page.get_by_test_id("record-status").inner_text() == "待审核"
    expect(page.get_by_test_id("change-form")).to_have_count(0)
    assert "已有待审核的学籍信息变更申请" in page.get_by_test_id("pending-note").inner_text()
    assert [r.get_by_test_id("status").inner_text() for r in page.get_by_test_id("request-row").all()] == ["待审核", "审核驳回"]
