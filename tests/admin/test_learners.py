"""学籍信息: the roster's filters and masking, one learner's record with its audit tab, and the
Excel export of the current query."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support import applicant

pytestmark = pytest.mark.browser


def admit(world, seq: int, teaching_point: str = "101", programme: str = "accounting", **overrides) -> tuple:
    """A learner through the use cases: the teaching point enters the form, the school approves."""
    entered_by = {"101": "xuanwu", "102": "gulou"}[teaching_point]
    adm = world.container.admissions
    form_id = adm.enter_form(
        world.actor(entered_by), admission_batch_id=world.admission_batch, programme_id=world.programmes[programme],
        applicant=applicant(seq, **overrides),
    )
    number = adm.approve_form(world.actor("jiaowu"), form_id, "材料齐全")
    return form_id, number


@pytest.fixture
def roster(world):
    """Two learners at 玄武 (会计学, 行政管理) and one at 鼓楼."""
    return {
        "kj": admit(world, 1, name="陈会计"),
        "xz": admit(world, 2, programme="administration", name="林行政"),
        "gl": admit(world, 3, teaching_point="102", name="周鼓楼"),
    }


def numbers_in(page) -> list[str]:
    return page.locator("[data-testid=list] tbody tr").evaluate_all("rows => rows.map(r => r.dataset.studentNumber)")


def test_filters_narrow_the_list_and_id_numbers_are_masked(sign_in, world, roster, page):
    id_number = applicant(1)["id_number"]
    page = sign_in("xuanwu")
    page.goto("/admin/learners")
    assert sorted(numbers_in(page)) == sorted([roster["kj"][1], roster["xz"][1]])  # not 鼓楼's learner
    expect(page.locator("select[name=teaching_point_id]")).to_have_count(0)  # 教学点 filter: school staff only
    table = page.get_by_test_id("list").inner_text()
    assert id_number not in table and f"{id_number[:6]}********{id_number[-4:]}" in table
    for label in ("学习批次", "层次", "学生类型", "学生来源", "专业", "学制", "学号", "姓名", "状态"):
        assert label in page.get_by_test_id("filters").inner_text()

    page.select_option("select[name=major]", "会计学")
    page.click("button:has-text('查询')")
    assert numbers_in(page) == [roster["kj"][1]]
    assert "major=" in page.url and id_number not in page.url

    page.goto("/admin/learners")
    page.fill("input[name=name]", "林")
    page.click("button:has-text('查询')")
    assert numbers_in(page) == [roster["xz"][1]]
    page.select_option("select[name=status]", "withdrawn")
    page.click("button:has-text('查询')")
    assert "没有符合条件的记录" in page.get_by_test_id("list").inner_text()

    page = sign_in("jiaowu")
    page.goto("/admin/learners")
    assert len(numbers_in(page)) == 3
    page.select_option("select[name=teaching_point_id]", label="102 鼓楼学习中心")
    page.click("button:has-text('查询')")
    assert numbers_in(page) == [roster["gl"][1]]


def test_learner_record_shows_the_full_id_number_programme_and_audit_tab(sign_in, world, roster, page):
    page = sign_in("xuanwu")
    page.goto("/admin/learners")
    page.locator(f"tr[data-student-number='{roster['kj'][1]}'] a:has-text('查看')").click()
    assert page.get_by_test_id("id-number").inner_text() == applicant(1)["id_number"]
    assert page.get_by_test_id("learner-status").inner_text() == "在籍"
    programme = page.get_by_test_id("learner-programme").inner_text()
    assert "专升本" in programme and "会计学" in programme and "2.5年" in programme
    audit = page.get_by_test_id("audit-tab").inner_text()
    assert "录取入学" in audit and "jiaowu" in audit and "材料齐全" in audit
    assert page.get_by_test_id("form-link").get_attribute("href") == f"/admin/application-forms/{roster['kj'][0]}"

    from application.common.filters import RosterFilter
    from application.common.queries import Page
    from application.learners.queries import list_learners  # the id of 鼓楼's learner

    with world.container.engine.connect() as conn:
        other = list_learners(conn, world.actor("gulou"), Page(), RosterFilter()).items[0]["id"]
    response = page.goto(f"/admin/learners/{other}")
    assert response.status == 404 and "不存在" in page.get_by_test_id("error").inner_text()


def _download(page, folder) -> list[list[str]]:
    from openpyxl import load_workbook

    with page.expect_download() as info:
        page.get_by_test_id("export").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = folder / download.suggested_filename
    download.save_as(path)
    sheet = load_workbook(path, read_only=True).active
    return [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]


def test_excel_export_holds_the_current_query_on_every_page(sign_in, world, roster, page, tmp_path):
    for seq in range(4, 26):  # 25 learners at 玄武 in all: two pages of the list
        admit(world, seq, name=f"会计{seq}")
    page = sign_in("jiaowu")
    page.goto("/admin/learners")
    page.select_option("select[name=major]", "会计学")
    page.select_option("select[name=teaching_point_id]", label="101 玄武学习中心")
    page.click("button:has-text('查询')")
    assert "共 23 条" in page.get_by_test_id("pager").inner_text()
    listed = numbers_in(page)
    page.click("text=下一页")
    listed += numbers_in(page)
    rows = _download(page, tmp_path)
    header, data = rows[0], rows[1:]
    assert header[:4] == ["学号", "姓名", "性别", "身份证号码"] and "专业" in header
    assert [r[0] for r in data] == listed and len(data) == 23
    assert {r[header.index("专业")] for r in data} == {"会计学"}
    assert data[0][3] == applicant(1)["id_number"]  # school staff: full ID numbers

    page = sign_in("xuanwu")
    page.goto("/admin/learners?major=行政管理")
    rows = _download(page, tmp_path)
    assert [r[0] for r in rows[1:]] == [roster["xz"][1]]
    assert "*" in rows[1][3] and rows[1][3] != applicant(2)["id_number"]  # teaching point: masked
