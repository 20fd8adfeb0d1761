"""Accessibility and phone fit, checked in Chromium with axe-core on the demo's data: every page
kind (home, lists, record pages with their audit tab, forms, job progress, audit pages, error page,
logins, the public portal, /register, /verify and the trainee's learning centre) as each role that
uses it, at desktop (1280 px) and phone (390 x 844) sizes, has no critical or serious violation and
a skip link to its content; the trainee pages, /register and /verify fit a phone: nothing past the
right edge, certificate links and the verified facts in view."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from interfaces.demo import DEMO_PASSWORD, load_demo
from tests.admin.axe_support import axe_violations, describe

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SKIP_LINK = "跳到主要内容"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
SERIAL = re.compile(r"WP\d{4}-\d{6}")
JOBS = ("/enrollments/batches/", "/certificate-batches/", "/imports/", "/exports/")  # pages of a background job
# The roles that enter most data first: a menu page shared by several roles is checked as the first.
STAFF = ["xuanwu", "jiaowu", "caiwu", "sysadmin", "shenji", "xuanwu_mentor", "nsd_admin", "wangpei"]


@dataclass
class Demo:
    verification: str  # /verify/<serial>?code=<code>, as the certificate's QR code links
    serial: str
    selection_job: uuid.UUID
    teaching_point: uuid.UUID


@pytest.fixture
def world(container: Any) -> Demo:
    """The demo a newcomer sees (what the live server serves), plus an issued certificate and a
    finished batch-selection job, so every kind of page has something to show."""
    from application.enrolment.projection import enrollments
    from application.identity.queries import authenticate
    from application.learners.projection import learners
    from application.training.certificate_queries import ledger_view

    load_demo(container)
    with container.engine.connect() as conn:
        trainee = authenticate(conn, container.hasher, "teacher_li", DEMO_PASSWORD)
        point = authenticate(conn, container.hasher, "xuanwu", DEMO_PASSWORD)
        assert trainee is not None and point is not None and trainee.user_id is not None
        pool = ledger_view(conn, trainee, trainee.user_id, container.clock.today().year)["pool"]
        programme = conn.execute(select(learners.c.programme_id).where(
            learners.c.teaching_point_id == point.teaching_point_id).limit(1)).scalar_one()
        cohort = list(conn.execute(select(learners.c.id).where(
            learners.c.teaching_point_id == point.teaching_point_id, learners.c.programme_id == programme).limit(3)).scalars())
        course = conn.execute(select(enrollments.c.course_id).where(enrollments.c.learner_id == cohort[0]).limit(1)).scalar_one()
    ledgers = container.certificate_ledgers
    certificate = ledgers.apply(trainee, [pool[0]["source_id"]])
    verification = ledgers.verification_url(trainee, certificate, "")
    serial = SERIAL.search(verification)
    assert serial is not None
    job = container.batch_selections.start(point, cohort, [course])
    assert point.teaching_point_id is not None
    return Demo(verification, serial.group(0), job, point.teaching_point_id)


@dataclass
class Sweep:
    """Visits pages at the given sizes and collects what fails, so one run reports every page."""

    page: Any
    failures: list[str] = field(default_factory=list)

    def visit(self, path: str, *, fits: bool = False, in_view: tuple[str, ...] = (), contrast_on_phone: bool = True) -> None:
        for size in (DESKTOP, PHONE):
            self.page.set_viewport_size(size)
            response = self.page.goto(path)
            assert response is not None and response.status < 500, f"{path}: {response and response.status}"
            self.look(path, size, fits=fits, in_view=in_view, contrast=contrast_on_phone or size is DESKTOP)

    def look(self, path: str, size: dict[str, int], *, fits: bool = False, in_view: tuple[str, ...] = (),
             contrast: bool = True) -> None:
        where = f"{path} at {size['width']}px"
        self.page.set_viewport_size(size)
        violations = axe_violations(self.page, skip=() if contrast else ("color-contrast",))
        if violations:
            self.failures.append(describe(where, violations))
        skip = self.page.locator("a[href='#main']").filter(has_text=SKIP_LINK)
        if skip.count() != 1 or self.page.locator("main#main").count() != 1:
            self.failures.append(f"{where}: no skip link “{SKIP_LINK}” to #main")
        if fits and size is PHONE:
            self.failures += [f"{where}: {problem}" for problem in off_screen(self.page, in_view)]

    def assert_clean(self) -> None:
        assert not self.failures, "\n" + "\n".join(self.failures)


def off_screen(page: Any, in_view: tuple[str, ...]) -> list[str]:
    """What reaches past the phone's right edge: the document's width, any shown part of an element
    outside a scrolling container (a part its ancestors clip away is not shown), and the named
    elements (data-testid), which must be fully in view, scrolling container or not."""
    found = page.evaluate(
        """names => {
            const width = window.innerWidth;
            const show = el => el.outerHTML.replace(/\\s+/g, ' ').slice(0, 140);
            const out = r => r.right > width + 0.5 || r.left < -0.5;
            // The horizontal extent of what is painted of el, or null inside a scrolling container.
            const shown = el => {
                const r = el.getBoundingClientRect();
                let left = r.left, right = r.right;
                for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                    const overflow = getComputedStyle(p).overflowX;
                    if (overflow === 'auto' || overflow === 'scroll') return null;
                    if (overflow !== 'visible') {
                        const q = p.getBoundingClientRect();
                        left = Math.max(left, q.left);
                        right = Math.min(right, q.right);
                    }
                }
                return r.width && r.height && right > left ? {left, right} : null;
            };
            const problems = [];
            if (document.documentElement.scrollWidth > width)
                problems.push(`page is ${document.documentElement.scrollWidth}px wide on a ${width}px screen`);
            for (const el of document.body.querySelectorAll('*')) {
                const r = shown(el);
                if (r && out(r)) problems.push(`past the edge: ${show(el)}`);
            }
            for (const name of names) {
                const els = [...document.querySelectorAll(`[data-testid="${name}"]`)];
                if (!els.length) problems.push(`nothing named ${name}`);
                for (const el of els) if (out(el.getBoundingClientRect())) problems.push(`not in view: ${show(el)}`);
            }
            return problems.slice(0, 20);
        }""",
        list(in_view),
    )
    return list(found)


def staff_sign_in(page: Any, username: str) -> None:
    page.goto("/admin/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    expect(page.get_by_test_id("current-user")).to_contain_text(username)


def trainee_sign_in(page: Any, username: str) -> None:
    page.goto("/training/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_test_id("login").click()
    expect(page.get_by_test_id("current-user")).to_contain_text(username)


def hrefs(page: Any, selector: str) -> list[str]:
    return list(page.locator(selector).evaluate_all("links => links.map(a => a.getAttribute('href'))"))


def kind_of(path: str) -> str:
    """The page kind a path shows; one page of each kind is also checked at phone size."""
    if path == "/admin/":
        return "home"
    if path.startswith("/admin/me"):
        return "account"
    if path.startswith("/admin/audit"):
        return path
    if UUID.search(path) or SERIAL.search(path):
        return "job" if any(part in path for part in JOBS) else "record"
    if path.endswith(("/new", "/password")) or "/new?" in path:
        return "form"
    return "list"


def menu_paths(username: str) -> list[str]:
    """The menu entries of a demo account, without signing in."""
    from application.common.actor import Actor
    from domains.shared.values import Role
    from interfaces.admin.common.menu import menu_for
    from interfaces.demo import DEMO_ACCOUNTS, TRAINING_ACCOUNTS

    roles = {u: r for u, _, r, _ in DEMO_ACCOUNTS} | {u: [r] for u, _, r in TRAINING_ACCOUNTS}
    actor = Actor(user_id=None, username=username, name=username, roles=frozenset(Role(r) for r in roles[username]))
    return [e.href for section in menu_for(actor) for e in section.entries]


def shape_of(path: str) -> str:
    return SERIAL.sub("{serial}", UUID.sub("{id}", path))


def found_records(page: Any) -> list[str]:
    """Links from the page's content to record pages (an id or a certificate serial in the path)."""
    return [href for href in hrefs(page, "main a[href^='/admin/']")
            if (UUID.search(href) or SERIAL.search(href)) and "?" not in href and "/attachments/" not in href
            and not href.endswith(("/pdf", ".xlsx", ".zip"))]


@pytest.mark.parametrize("username", STAFF)
def test_staff_pages_have_no_serious_accessibility_violation(page, world, username):
    """As each role: its home and one page of each kind (list, form, record page with its audit
    tab, job progress, audit pages, error page); also every menu page no role before it in STAFF
    has checked (menus overlap) and one record page of each kind linked from the pages it checks.
    All at both sizes; colour contrast, which takes most of axe's time and does not change with
    the width, is checked on phones for the first page of each kind only."""
    staff_sign_in(page, username)
    checked_before = {path for other in STAFF[:STAFF.index(username)] for path in menu_paths(other)}
    sweep = Sweep(page)
    todo = ["/admin/", *dict.fromkeys(hrefs(page, "nav.menu a"))]
    if username == "xuanwu":
        todo.append(f"/admin/enrollments/batches/{world.selection_job}")
    if username == "shenji":
        todo.append(f"/admin/audit/aggregates/{world.teaching_point}")  # a record's history replayed
    wanted = {path for path in todo if path not in checked_before}
    shapes = {shape_of(path) for path in todo}
    kinds: set[str] = set()
    for path in todo:  # grows while it is walked: record pages found on the pages checked
        kind = kind_of(path)
        if kind in kinds and path not in wanted:
            continue
        sweep.visit(path, contrast_on_phone=kind not in kinds)
        kinds.add(kind)
        for href in found_records(page):
            if (shape := shape_of(href)) not in shapes:
                shapes.add(shape)
                todo.append(href)
                wanted.add(href)
    sweep.visit(f"/admin/learners/{uuid.UUID(int=0)}")  # the error page (not found, or not allowed)
    sweep.assert_clean()


def test_the_public_pages_have_no_serious_violation_and_fit_a_phone(page, world):
    sweep = Sweep(page)
    sweep.visit("/admin/login")
    sweep.visit("/training/login", fits=True)
    sweep.visit("/training/register", fits=True)
    sweep.visit("/register", fits=True)
    sweep.visit(f"/register/thanks?tp={world.teaching_point}", fits=True)
    sweep.visit(world.verification, fits=True, in_view=("verdict", "serial", "trainee-name", "school", "year", "hours",
                                                         "issued-on"))
    sweep.visit(f"/verify/{world.serial}", fits=True, in_view=("verdict",))  # without its code: not verified
    sweep.assert_clean()


def test_the_trainees_pages_have_no_serious_violation_and_fit_a_phone(page, world):
    trainee_sign_in(page, "teacher_li")
    sweep = Sweep(page)
    for path in hrefs(page, "[data-testid=portal-menu] a"):
        in_view = ("download", "reprint") if path == "/training/certificates" else ()
        sweep.visit(path, fits=True, in_view=in_view)
    page.goto("/training/my-courses")
    courses = hrefs(page, "main a[href^='/training/my-courses/']")
    assert courses
    sweep.visit(courses[0], fits=True)  # the course's chapters and the player
    for size in (DESKTOP, PHONE):  # 确认报名: the step between choosing courses and signing up
        page.set_viewport_size(size)
        page.goto("/training/courses")
        page.get_by_test_id("choose").first.check()
        with page.expect_navigation():
            page.get_by_test_id("want").click()
        sweep.look("/training/courses/confirm", size, fits=True)
    sweep.assert_clean()


def test_the_skip_link_is_the_first_stop_and_moves_to_the_content(page, world):
    for path in ("/admin/login", "/training/login", "/register", world.verification):
        page.goto(path)
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name=SKIP_LINK, exact=True)
        expect(skip).to_be_focused()
        expect(skip).to_be_visible()  # shown when focused, hidden otherwise
        page.keyboard.press("Enter")
        expect(page.locator("#main")).to_be_focused()
