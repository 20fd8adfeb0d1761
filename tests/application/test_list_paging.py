"""Lists sort by a column the viewer picks, never by a personal number, and a page past the
last shows the last page."""

from __future__ import annotations

from typing import Any

from application.common.filters import RosterFilter
from application.common.queries import Page
from application.learners.queries import list_learners
from tests.support import applicant


def admitted(world: Any, count: int) -> None:
    adm = world.container.admissions
    for seq in range(1, count + 1):
        form = adm.enter_form(world.actor("xuanwu"), admission_batch_id=world.admission_batch,
                              programme_id=world.programmes["accounting"], applicant=applicant(seq))
        adm.approve_form(world.actor("jiaowu"), form)


def numbers(world: Any, page: Page) -> list[str]:
    with world.container.engine.connect() as conn:
        return [r["student_number"] for r in list_learners(conn, world.actor("jiaowu"), page, RosterFilter()).items]


def test_a_list_sorts_by_the_chosen_column_both_ways(world: Any) -> None:
    admitted(world, 3)
    ascending = numbers(world, Page(size=10, sort="student_number"))
    assert ascending == sorted(ascending) and len(ascending) == 3
    assert numbers(world, Page(size=10, sort="student_number", descending=True)) == ascending[::-1]


def test_an_unknown_or_personal_column_keeps_the_lists_own_order(world: Any) -> None:
    admitted(world, 3)
    default = numbers(world, Page(size=10))
    assert numbers(world, Page(size=10, sort="no_such_column")) == default
    assert numbers(world, Page(size=10, sort="id_number", descending=True)) == default


def test_a_page_past_the_last_shows_the_last_page(world: Any) -> None:
    admitted(world, 3)
    with world.container.engine.connect() as conn:
        result = list_learners(conn, world.actor("jiaowu"), Page(number=5, size=2), RosterFilter())
    assert (result.page, result.pages, len(result.items)) == (2, 2, 1)
    with world.container.engine.connect() as conn:
        empty = list_learners(conn, world.actor("xuanwu"), Page(number=3), RosterFilter(name="无此人"))
    assert (empty.page, empty.pages, empty.items) == (1, 1, [])
