"""Demo data: a school, three teaching points, staff of every role, an open admission batch,
programmes, application forms in every status, a course catalogue open for selection, and
learners' courses with bills in every payment status and course drops at each review step.
Loaded once; repeatable (seeded Faker)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources

from faker import Faker
from sqlalchemy import select

from application.common.actor import SYSTEM, Actor
from application.enrolment.projection import enrollments
from application.finance.projection import bills as bill_rows
from application.learners.projection import learners as learner_rows
from application.organisation.queries import the_school
from domains.curriculum.programme_curriculum import ProgrammeCurriculum
from domains.shared.values import ChineseIdNumber, Role
from infrastructure.container import Container

DEMO_PASSWORD = "demo1234"

DEMO_ACCOUNTS = [
    # username, name, roles, teaching point code (None: school)
    ("sysadmin", "系统管理员", ["system_admin"], None),
    ("jiaowu", "王教务", ["academic_affairs"], None),
    ("caiwu", "赵财务", ["finance"], None),
    ("shenji", "钱审计", ["auditor"], None),
    ("xuanwu", "李老师", ["teaching_point_admin"], "101"),
    ("gulou", "周老师", ["teaching_point_admin"], "102"),
    ("xuanwu_mentor", "吴导师", ["academic_mentor", "head_teacher"], "101"),
]

TEACHING_POINTS = [
    ("101", "玄武学习中心", "南京市玄武区北京东路41号", "李娟,陈刚", "025-84321234,13912345678"),
    ("102", "鼓楼学习中心", "南京市鼓楼区中山北路105号", "周敏", "025-83456789"),
    ("201", "苏州工业园区学习中心", "苏州市工业园区星湖街328号", "孙丽,何伟", "0512-62345678"),
]

PROGRAMMES = [
    ("P-ZSB-KJ", "专升本", "开放教育", "开放教育", "会计学", "2.5年"),
    ("P-ZSB-HY", "专升本", "开放教育", "开放教育", "汉语言文学", "2.5年"),
    ("P-GQZ-XX", "高起专", "开放教育", "开放教育", "行政管理", "2.5年"),
    ("P-GQZ-JS", "高起专", "开放教育", "开放教育", "计算机应用技术", "3年"),
]


# code, name, credits, education levels, final exam, {programme code: suggested semester}
COURSES = [
    ("01234", "管理会计", "4", ("本科",), True, {"P-ZSB-KJ": 1}),
    ("01235", "会计信息系统", "2.5", ("本科",), False, {"P-ZSB-KJ": 1}),
    ("01236", "财务报表分析", "3", ("本科",), True, {"P-ZSB-KJ": 2}),
    ("02101", "现代汉语专题", "4", ("本科",), True, {"P-ZSB-HY": 1}),
    ("03101", "行政管理学", "4", ("专科",), True, {"P-GQZ-XX": 1}),
    ("03102", "公共关系学", "3", ("专科",), False, {"P-GQZ-XX": 1}),
    ("04101", "程序设计基础", "4", ("专科",), True, {"P-GQZ-JS": 1}),
    # Shared by both levels: billed at the lower (专科) standard (requirements/curriculum.md §4.2).
    ("00001", "计算机应用基础", "3", ("本科", "专科"), True,
     {"P-ZSB-KJ": 1, "P-ZSB-HY": 1, "P-GQZ-XX": 1, "P-GQZ-JS": 1}),
]
# Finance's fee standards (fen): credit fee per credit, exam fee per course.
FEE_STANDARDS = {"undergraduate": (15900, 4000), "junior_college": (12000, 3000)}


@dataclass
class Catalogue:
    courses: dict[str, uuid.UUID] = field(default_factory=dict)  # code -> id
    selection_batch: uuid.UUID | None = None
    exam_batch: uuid.UUID | None = None


def open_catalogue(
    c: Container, academic_affairs: Actor, finance: Actor, programmes: Mapping[str, uuid.UUID], today: date,
    courses: Sequence[tuple[str, str, str, tuple[str, ...], bool, dict[str, int]]] = COURSES, code: str = "X",
) -> Catalogue:
    """Courses made selectable step by step as academic affairs does (published, a version in
    use, an approved assessment), listed in their programmes, a selection batch and an exam
    batch open today, and the fee standards set by finance."""
    cur = c.curriculum
    cat = Catalogue()
    for course_code, name, credits, levels, final_exam, listed in courses:
        cid = cur.register_course(academic_affairs, course_code, name, credits, list(levels))
        cur.publish_course(academic_affairs, cid)
        cur.add_course_version(academic_affairs, cid, f"{today.year}版")
        cur.use_course_version(academic_affairs, cid, f"{today.year}版")
        cur.submit_assessment(academic_affairs, cid, final_exam,
                              "形成性考核30%，终结性考试70%" if final_exam else "形成性考核100%")
        cur.approve_assessment(academic_affairs, cid, "同意")
        for programme_code, semester in listed.items():
            if programme_code in programmes:
                cur.add_programme_course(academic_affairs, programmes[programme_code], cid, semester)
        cat.courses[course_code] = cid
    ids = list(cat.courses.values())
    cat.selection_batch = cur.register_selection_batch(
        academic_affairs, code=f"{code}{today.year}", name=f"{today.year}年选课批次",
        selection_starts_on=(today - timedelta(days=10)).isoformat(), selection_ends_on=(today + timedelta(days=20)).isoformat(),
        course_ids=ids,
    )
    cat.exam_batch = cur.register_exam_batch(
        academic_affairs, code=f"K{code}{today.year}", name=f"{today.year + 1}年1月考试",
        registration_starts_on=(today - timedelta(days=10)).isoformat(),
        registration_ends_on=(today + timedelta(days=40)).isoformat(), course_ids=ids,
    )
    for level, (credit_fee, exam_fee) in FEE_STANDARDS.items():
        cur.set_fee_standard(finance, level, credit_fee, exam_fee)
    return cat


def _course_activity(c: Container, staff: Mapping[str, Actor], tps: Mapping[str, uuid.UUID], cat: Catalogue) -> None:
    """Every admitted learner's programme courses selected in batch by their teaching point;
    玄武 pays by remittance and finance confirms, 鼓楼's remittance is in transit, the third
    teaching point has not paid; three of 玄武's paid courses are dropped and stand at each step
    of the review chain."""
    with c.engine.connect() as conn:
        admitted = conn.execute(
            select(learner_rows.c.id, learner_rows.c.teaching_point_id, learner_rows.c.programme_id)
            .order_by(learner_rows.c.student_number)
        ).all()
    by_cohort: dict[tuple[uuid.UUID, uuid.UUID], list[uuid.UUID]] = {}
    for lid, tp, programme in admitted:
        by_cohort.setdefault((tp, programme), []).append(lid)
    tp_actor = {tp: staff[name] for name, tp in (("xuanwu", tps["101"]), ("gulou", tps["102"]))}
    tp_actor[tps["201"]] = Actor(
        user_id=None, username="demo-201", name="苏州教学点", roles=frozenset({Role.TEACHING_POINT_ADMIN}),
        teaching_point_id=tps["201"],
    )
    for (tp, programme), learner_ids in by_cohort.items():
        listing = c.store.find(ProgrammeCurriculum.create_id(programme))
        course_ids = [cid for cid in cat.courses.values() if listing is not None and listing.includes(cid)]
        if course_ids:
            c.enrolment.select_for_learners(tp_actor[tp], learner_ids, course_ids)
    for tp_code, confirm in (("101", True), ("102", False)):
        with c.engine.connect() as conn:
            unpaid = list(conn.execute(
                select(bill_rows.c.id).where(bill_rows.c.teaching_point_id == tps[tp_code],
                                             bill_rows.c.status == "awaiting_payment")
            ).scalars())
        if not unpaid:
            continue
        slip = c.finance.remit(tp_actor[tps[tp_code]], unpaid, bank_reference=f"BANK{tp_code}0001")
        if confirm:
            c.finance.confirm_remittance(staff["caiwu"], slip, "款项已到账")
    paid = _enrollments(c, tps["101"])
    reasons = ("工作调动，时间冲突", "误选课程", "重复选课")
    refunds = []
    for enrollment_id, reason in zip(paid[:3], reasons, strict=False):  # fewer paid courses: fewer refunds
        refunds += c.enrolment.drop_courses(staff["xuanwu"], [enrollment_id], reason).refund_ids
    if len(refunds) == 3:
        c.finance.approve_drop(staff["jiaowu"], refunds[1], "同意退课")
        c.finance.approve_drop(staff["jiaowu"], refunds[2], "同意退课")
        c.finance.approve_refund(staff["caiwu"], refunds[2], "同意退费")


def _enrollments(c: Container, tp: uuid.UUID) -> list[uuid.UUID]:
    with c.engine.connect() as conn:
        return list(conn.execute(
            select(enrollments.c.id).where(enrollments.c.teaching_point_id == tp, enrollments.c.status == "paid")
            .order_by(enrollments.c.selected_at, enrollments.c.id)
        ).scalars())


TRAINING_ACCOUNTS = [
    ("wangpei", "网培中心管理员", "training_centre_admin"),
    ("nsd_admin", "南师大校级管理员", "training_school_admin"),
    ("teacher_li", "李老师（参训教师）", "trainee"),
]


def _attach_demo_videos(c: Container, course_id: uuid.UUID) -> None:
    """Every chapter of the course plays the shipped five-second video (uploaded as an
    administrator would), so the course can be watched to completion out of the box."""
    from application.training.learning_queries import get_course

    video = (resources.files("interfaces.demo_media") / "chapter.webm").read_bytes()
    with c.engine.connect() as conn:
        chapters = get_course(conn, SYSTEM, course_id)["chapters"]
    for chapter in chapters:
        c.training.videos.attach(SYSTEM, course_id, chapter["id"], video)


def load_training_demo(c: Container) -> list[str]:
    """The teacher-training platform: a school whose campus range is the loopback network (so
    registration works locally), its administrator, a trainee with one centre course completed and
    another signed up for whose chapters play a short uploaded video, a printable allowance of 50
    hours for the year, courses of the three kinds on the school's training list, and a centre
    lecture to sign up for."""
    t = c.training
    t.schools.appoint_admin(SYSTEM, role_name="training_centre_admin", school_id=None, username="wangpei",
                            name="网培中心管理员", password=DEMO_PASSWORD, confirm_password=DEMO_PASSWORD)
    school = t.schools.register_school(SYSTEM, "南京师范大学", ["127.0.0.0/8", "202.119.96.0/20"])
    admin_id = t.schools.appoint_admin(SYSTEM, role_name="training_school_admin", school_id=school, username="nsd_admin",
                                       name="南师大校级管理员", password=DEMO_PASSWORD, confirm_password=DEMO_PASSWORD)
    school_admin = Actor(user_id=admin_id, username="nsd_admin", name="南师大校级管理员",
                         roles=frozenset({Role.TRAINING_SCHOOL_ADMIN}), training_school_id=school)
    chapters = [{"title": f"第{i}讲", "duration_seconds": 20 * 60} for i in range(1, 4)]
    centre = t.learning.publish_course(SYSTEM, kind="centre", title="课程思政建设与教学设计", tenths=25,
                                       chapters=chapters, summary_prompt="结合所授课程，提交一份课程思政教学设计")
    digital = t.learning.publish_course(SYSTEM, kind="centre", title="高校教师数字素养提升", tenths=30,
                                        chapters=chapters[:2], summary_prompt="谈谈数字化教学的一次实践")
    _attach_demo_videos(c, digital)
    ideology = t.learning.publish_course(SYSTEM, kind="ideology", title="《习近平总书记教育重要论述讲义》导读",
                                         tenths=20, chapters=chapters[:1], summary_prompt="学习心得")
    own = t.learning.publish_course(school_admin, kind="school", title="本校智慧教室使用指南", tenths=10,
                                    chapters=chapters[:1], summary_prompt="本校实践总结")
    t.schools.set_training_list(school_admin, school, [centre, ideology, own])
    trainee_id = t.trainees.register(school_id=school, address="127.0.0.1", unit_name="南京师范大学",
                                     username="teacher_li", name="李老师", password=DEMO_PASSWORD,
                                     confirm_password=DEMO_PASSWORD)
    trainee = Actor(user_id=trainee_id, username="teacher_li", name="李老师", roles=frozenset({Role.TRAINEE}),
                    training_school_id=school)
    t.learning.sign_up(trainee, [centre, digital])
    with c.engine.connect() as conn:
        from application.training.learning_queries import get_course

        course = get_course(conn, trainee, centre)
    for chapter in course["chapters"]:
        t.learning.report_watched(trainee, centre, chapter["id"], [[0, chapter["duration_seconds"]]])
    t.learning.submit_summary(trainee, centre, "在《高等数学》中设计了三个思政融入点，并在两个班试讲。")
    # The school's task for the year (可打印学时), so 学分与证书打印 can issue a certificate at once.
    c.certificate_ledgers.set_allowance(school_admin, trainee_id, c.clock.today().year, "50")
    t.lectures.schedule(SYSTEM, origin="centre", school_id=None, title="新时代高校教师职业道德规范解读",
                        speaker="张教授", starts_at=c.clock.now() + timedelta(days=7), duration_minutes=90)
    return [f"  {u:<14} {n}  {r}" for u, n, r in TRAINING_ACCOUNTS]


def load_demo(c: Container) -> str:
    with c.engine.connect() as conn:
        if the_school(conn) is not None:
            return "demo data already loaded"
    fake = Faker("zh_CN")
    fake.seed_instance(20260901)
    today = c.clock.today()
    org, ids, adm = c.organisation, c.identity, c.admissions
    org.register_school(SYSTEM, c.settings.school_code, c.settings.school_name)
    tps = {code: org.register_teaching_point(SYSTEM, code, name, addr, rec, ph) for code, name, addr, rec, ph in TEACHING_POINTS}
    staff: dict[str, Actor] = {}
    for username, name, roles, tp_code in DEMO_ACCOUNTS:
        account_id = ids.register_staff(
            SYSTEM, username=username, name=name, roles=roles, password=DEMO_PASSWORD, confirm_password=DEMO_PASSWORD,
            teaching_point_id=tps[tp_code] if tp_code else None, kind="local" if "system_admin" in roles else "unified_identity",
            mobile=fake.phone_number(), email=f"{username}@example.edu.cn",
        )
        staff[username] = Actor(
            user_id=account_id, username=username, name=name, roles=frozenset(Role(r) for r in roles),
            teaching_point_id=tps[tp_code] if tp_code else None,
        )
    sb = adm.register_study_batch(SYSTEM, f"{today.year}{'F' if today.month >= 7 else 'S'}",
                                  f"{today.year}{'秋' if today.month >= 7 else '春'}")
    ab = adm.register_admission_batch(
        SYSTEM, f"A{today.year}{today.month:02d}", f"{today.year}年{'秋季' if today.month >= 7 else '春季'}招生", sb,
        (today - timedelta(days=30)).isoformat(), (today + timedelta(days=60)).isoformat(),
    )
    by_code = {
        code: adm.register_programme(
            SYSTEM, code=code, level=level, learner_type=lt, learner_source=ls, major=major, length_of_schooling=length,
            teaching_point_ids=list(tps.values()),
        )
        for code, level, lt, ls, major, length in PROGRAMMES
    }
    programmes = list(by_code.values())
    reviewer = staff["jiaowu"]
    forms = []
    for i in range(36):
        tp_code = ("101", "102", "201")[i % 3]
        actor = Actor(user_id=None, username=f"demo-{tp_code}", name="教学点",
                      roles=frozenset({Role.TEACHING_POINT_ADMIN}), teaching_point_id=tps[tp_code])
        programme = programmes[i % len(programmes)]
        id_number = str(fake.ssn(min_age=22, max_age=45))
        birth = ChineseIdNumber.parse(id_number).birth_date
        level = PROGRAMMES[i % len(PROGRAMMES)][1]
        forms.append(
            adm.enter_form(
                actor, admission_batch_id=ab, programme_id=programme,
                applicant={
                    "name": fake.name(), "id_number": id_number, "ethnicity": "汉族", "mobile": fake.phone_number(),
                    "address": fake.address()[:60], "occupation": fake.company(),
                    "prior_level": "大专" if level == "专升本" else "高中",
                    "prior_school": "南京城市职业学院" if level == "专升本" else "南京市第十三中学",
                    "prior_graduation_date": birth.replace(year=birth.year + 20, day=1).isoformat(),
                    "prior_certificate_number": f"{fake.random_number(digits=12, fix_len=True)}",
                },
            )
        )
    adm.approve_forms(reviewer, forms[:24], "材料齐全")
    for fid in forms[24:27]:
        adm.reject_form(reviewer, fid, "最高学历信息在学信网无法查询")
    for i in range(6):
        adm.quick_register(SYSTEM, fake.name(), fake.phone_number(),
                           ("会计学", "行政管理", "汉语言文学")[i % 3], tps[("101", "102", "201")[i % 3]])
    cat = open_catalogue(c, staff["jiaowu"], staff["caiwu"], by_code, today)
    _course_activity(c, staff, tps, cat)
    lines = ["demo data loaded; accounts (password " + DEMO_PASSWORD + "):"]
    lines += [f"  {u:<14} {n}  {','.join(r)}" for u, n, r, _ in DEMO_ACCOUNTS]
    lines += ["teacher training (参训教师 log in at /training/login):", *load_training_demo(c)]
    return "\n".join(lines)
