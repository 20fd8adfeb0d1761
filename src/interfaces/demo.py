"""Demo data: a school, three teaching points, staff of every role, an open admission batch,
programmes, and application forms in every status. Loaded once; repeatable (seeded Faker)."""

from __future__ import annotations

from datetime import timedelta

from faker import Faker

from application.common.actor import SYSTEM, Actor
from application.organisation.queries import the_school
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
    for username, name, roles, tp_code in DEMO_ACCOUNTS:
        ids.register_staff(
            SYSTEM, username=username, name=name, roles=roles, password=DEMO_PASSWORD, confirm_password=DEMO_PASSWORD,
            teaching_point_id=tps[tp_code] if tp_code else None, kind="local" if "system_admin" in roles else "unified_identity",
            mobile=fake.phone_number(), email=f"{username}@example.edu.cn",
        )
    sb = adm.register_study_batch(SYSTEM, f"{today.year}{'F' if today.month >= 7 else 'S'}", f"{today.year}{'秋' if today.month >= 7 else '春'}")
    ab = adm.register_admission_batch(
        SYSTEM, f"A{today.year}{today.month:02d}", f"{today.year}年{'秋季' if today.month >= 7 else '春季'}招生", sb,
        (today - timedelta(days=30)).isoformat(), (today + timedelta(days=60)).isoformat(),
    )
    programmes = [
        adm.register_programme(
            SYSTEM, code=code, level=level, learner_type=lt, learner_source=ls, major=major, length_of_schooling=length,
            teaching_point_ids=list(tps.values()),
        )
        for code, level, lt, ls, major, length in PROGRAMMES
    ]
    reviewer = Actor(user_id=None, username="jiaowu", name="王教务", roles=frozenset({Role.ACADEMIC_AFFAIRS}))
    forms = []
    for i in range(36):
        tp_code = ("101", "102", "201")[i % 3]
        actor = Actor(user_id=None, username=f"demo-{tp_code}", name="教学点", roles=frozenset({Role.TEACHING_POINT_ADMIN}), teaching_point_id=tps[tp_code])
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
        adm.quick_register(SYSTEM, fake.name(), fake.phone_number(), ("会计学", "行政管理", "汉语言文学")[i % 3], tps[("101", "102", "201")[i % 3]])
    lines = ["demo data loaded; accounts (password " + DEMO_PASSWORD + "):"]
    lines += [f"  {u:<14} {n}  {','.join(r)}" for u, n, r, _ in DEMO_ACCOUNTS]
    return "\n".join(lines)
