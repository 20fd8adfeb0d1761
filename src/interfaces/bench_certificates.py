"""Certificates per second for `eduledger bench`, the PDF included.

  certificate_render  the renderer alone: `container.certificate_renderer.render` of realistic
                      certificates (a dozen items, names and titles of everyday length, one in
                      four amended), after one untimed render that finds the font and builds its
                      working set.
  certificate_issue   the whole path a trainee takes: `CertificateLedgers.apply` (the ledger's
                      checks, the serial number, one atomic save, inline projections) and then
                      `download` (the document read back from the read model, the PDF drawn,
                      the download recorded), for one trainee after another; its ratio is to
                      certificate_render.
"""

from __future__ import annotations

import datetime
import time
import uuid
from collections.abc import Callable
from dataclasses import replace

from application.common.actor import SYSTEM, Actor
from application.common.recording import recording
from application.identity.queries import actor_for
from application.training.certificate_document import CertificateDocument
from application.training.ledgers import load_or_open_ledger
from domains.shared.values import Role
from infrastructure.container import Container

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("婷", "建国", "晓燕", "志强", "丽华", "海涛", "静", "文博", "雨萱", "子涵", "明", "桂英")
SCHOOLS = ("南京师范大学", "江苏开放大学", "苏州大学", "南京信息职业技术学院", "扬州市职业大学")
TITLES = (
    "新时代师德师风建设专题", "信息技术支持的课堂教学创新", "课程思政的设计与实施", "教师数字素养提升",
    "职业教育教学能力比赛经验分享（直播讲座）", "混合式教学设计与实践", "学生心理健康教育", "教学评价改革与实践",
    "人工智能赋能教育教学", "高校教师教学发展与专业成长", "项目化学习设计", "教育科研方法入门",
)
ITEM_TENTHS = (60, 45, 40, 50, 15, 40, 35, 40, 45, 30, 60, 60)  # 52.0 hours in all
VERIFY_BASE = "http://127.0.0.1:8000"
PASSWORD = "bench1234"
CAMPUS = "10.8.0.0/16"
CAMPUS_ADDRESS = "10.8.1.20"


def name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)]


def items(i: int) -> tuple[tuple[str, int], ...]:
    shift = i % len(TITLES)
    return tuple((f"{TITLES[(k + shift) % len(TITLES)]}（第{k + 1}期）", ITEM_TENTHS[k]) for k in range(len(TITLES)))


def document(i: int, issued_on: datetime.date) -> CertificateDocument:
    chosen = items(i)
    serial = f"{issued_on.year}{i + 1:06d}"
    return CertificateDocument(
        serial=serial, trainee_name=name(i), school_name=SCHOOLS[i % len(SCHOOLS)], year=issued_on.year,
        total_tenths=sum(t for _, t in chosen), items=chosen, issued_on=issued_on,
        verify_url=f"{VERIFY_BASE}/verify/{serial}?code=BENCH{i:04d}",
        amendments=(f"{issued_on.isoformat()} 更正姓名：{name(i + 1)} → {name(i)}",) if i % 4 == 3 else (),
    )


def renders(c: Container, count: int, progress: Callable[[str], None]) -> float:
    """Certificates rendered per second."""
    today = c.clock.today()
    progress("certificates: finding the CJK font and building its working set (once) ...")
    c.certificate_renderer.render(document(count, today))
    progress(f"certificates: rendering {count} PDFs ...")
    started = time.perf_counter()
    for i in range(count):
        c.certificate_renderer.render(document(i, today))
    return count / (time.perf_counter() - started)


def _actor(c: Container, account_id: uuid.UUID, school_id: uuid.UUID | None = None) -> Actor:
    with c.engine.connect() as conn:
        found = actor_for(conn, account_id)
    assert found is not None
    return found if school_id is None or found.training_school_id else replace(found, training_school_id=school_id)


def issues(c: Container, count: int, progress: Callable[[str], None]) -> float:
    """Certificates applied for and downloaded (PDF drawn) per second, one trainee after another."""
    schools = c.training.schools
    progress(f"certificates: a training school and {count} trainees with 52.0 hours in their pools ...")
    centre = _actor(c, schools.appoint_admin(
        SYSTEM, role_name=Role.TRAINING_CENTRE_ADMIN.value, school_id=None, username="bench-centre",
        name="网培中心管理员", password=PASSWORD, confirm_password=PASSWORD,
    ))
    school_name = "基准测试师范学院"
    school_id = schools.register_school(centre, school_name, [CAMPUS])
    admin = _actor(c, schools.appoint_admin(
        centre, role_name=Role.TRAINING_SCHOOL_ADMIN.value, school_id=school_id, username="bench-school",
        name="校级管理员", password=PASSWORD, confirm_password=PASSWORD,
    ), school_id)
    trainees: list[tuple[Actor, list[uuid.UUID]]] = []
    for i in range(count):
        account_id = c.training.trainees.register(
            school_id=school_id, address=CAMPUS_ADDRESS, unit_name=school_name, username=f"bench-trainee-{i}",
            name=name(i), password=PASSWORD, confirm_password=PASSWORD,
        )
        sources = []
        with recording(SYSTEM, "system", "学时认定"):  # as the learning side credits completed courses
            ledger = load_or_open_ledger(c.store, account_id, school_id)
            for title, tenths in items(i):
                source_id = uuid.uuid4()
                ledger.credit(source_id, "centre_course", title, tenths, c.clock.today())
                sources.append(source_id)
        c.store.save(ledger)
        trainees.append((_actor(c, account_id, school_id), sources))
    year = c.clock.today().year
    c.certificate_ledgers.set_allowances(admin, [t.user_id for t, _ in trainees if t.user_id], year, "52.0")

    progress(f"certificates: {count} trainees apply and download their certificate (PDF) ...")
    ledgers, renderer = c.certificate_ledgers, c.certificate_renderer
    started = time.perf_counter()
    for trainee, sources in trainees:
        certificate_id = ledgers.apply(trainee, sources)
        _, pdf = ledgers.download(trainee, certificate_id, VERIFY_BASE, renderer)
        if not pdf.startswith(b"%PDF-"):
            raise RuntimeError("a downloaded certificate is not a PDF")
    return count / (time.perf_counter() - started)
