"""The admin menu by role. The teaching-point administrator's follows requirements/common.md §1.1: 系统管理,
招生管理, 教务管理, 考务管理, 学籍管理, 财务管理, with their entries in that order; other roles get
the menu of the work they do. Only entries the platform serves are listed."""

from __future__ import annotations

from dataclasses import dataclass

from application.common.actor import Actor
from domains.shared.values import Role


@dataclass(frozen=True)
class Entry:
    label: str
    href: str
    roles: frozenset[Role]


@dataclass(frozen=True)
class Section:
    label: str
    entries: tuple[Entry, ...]


TP = Role.TEACHING_POINT_ADMIN
AA = Role.ACADEMIC_AFFAIRS
FIN = Role.FINANCE
AUD = Role.AUDITOR
SYS = Role.SYSTEM_ADMIN
MENTOR = Role.ACADEMIC_MENTOR
HEAD = Role.HEAD_TEACHER
ALL_STAFF = frozenset({TP, AA, FIN, AUD, SYS, MENTOR, HEAD})


def _e(label: str, href: str, *roles: Role) -> Entry:
    return Entry(label, href, frozenset(roles) if roles else ALL_STAFF)


MENU: tuple[Section, ...] = (
    Section(
        "系统管理",
        (
            _e("个人信息", "/admin/me"),
            _e("修改密码", "/admin/me/password"),
            _e("教学点信息", "/admin/teaching-points", TP, SYS, AUD, AA),
            _e("教学点用户管理", "/admin/users", TP, SYS, AUD),
        ),
    ),
    Section(
        "招生管理",
        (
            _e("录入报名表", "/admin/application-forms/new", TP),
            _e("初审报名表", "/admin/application-forms/quick-registrations", TP),
            _e("报名表查询", "/admin/application-forms", TP, AA, AUD, SYS),
            _e("复审报名表", "/admin/application-forms?status=preliminarily_approved", AA),
            _e("批量导入报名表", "/admin/application-forms/imports", TP),
            _e("学习批次与招生批次", "/admin/batches", AA, SYS, AUD),
            _e("培养方案", "/admin/programmes", AA, SYS, AUD, TP),
        ),
    ),
    Section(
        "教务管理",
        (
            _e("学务导师分配", "/admin/mentor-assignments", TP, AA, AUD, SYS),
            _e("班级管理", "/admin/course-classes", TP, AA, AUD, SYS),
            _e("代学生选课", "/admin/enrollments/new", TP),
            _e("批量选课", "/admin/enrollments/batches", TP),
            _e("选课查询", "/admin/enrollments", TP, AA, FIN, AUD, SYS),
            _e("退课申请", "/admin/refunds", TP, AA, FIN, AUD, SYS),
            _e("课程管理", "/admin/courses", AA, SYS, AUD),
            _e("选课批次", "/admin/selection-batches", AA, SYS, AUD),
        ),
    ),
    Section(
        "考务管理",
        (
            _e("为学生分配考点", "/admin/exam-site-assignments", TP, AA, AUD, SYS),
            _e("报考管理", "/admin/exam-registrations", TP, AA, AUD, SYS),
            _e("补考报考", "/admin/exam-registrations/resits/new", TP),
            _e("考试批次", "/admin/exam-batches", AA, SYS, AUD),
        ),
    ),
    Section(
        "学籍管理",
        (
            _e("学籍信息", "/admin/learners", TP, AA, FIN, AUD, SYS, MENTOR, HEAD),
            _e("学籍异动", "/admin/status-changes", TP, AA, AUD, SYS),
            _e("学籍变更审核", "/admin/record-changes", AA, AUD, SYS),
            _e("转专业申请期", "/admin/status-changes/change-of-major-window", AA, SYS, AUD),
            _e("导入/导出电子照片", "/admin/learner-photos", TP, AA, AUD, SYS),
        ),
    ),
    Section(
        "财务管理",
        (
            # One list, named for what each role does with it.
            _e("批量缴费汇款", "/admin/bills", TP),
            _e("缴费单查询", "/admin/bills", FIN, AA, AUD, SYS),
            _e("汇款单确认", "/admin/remittance-slips", FIN),
            _e("汇款单查询", "/admin/remittance-slips", TP, AUD, SYS),
            _e("收费标准", "/admin/fee-standards", FIN, AA, AUD, SYS),
        ),
    ),
    Section(
        "教师培训",
        (
            _e("个人信息", "/admin/me", Role.TRAINING_CENTRE_ADMIN, Role.TRAINING_SCHOOL_ADMIN),
            _e("修改密码", "/admin/me/password", Role.TRAINING_CENTRE_ADMIN, Role.TRAINING_SCHOOL_ADMIN),
            _e("学校培训平台", "/admin/training/schools", Role.TRAINING_CENTRE_ADMIN, Role.TRAINING_SCHOOL_ADMIN),
            _e("培训课程", "/admin/training/courses", Role.TRAINING_CENTRE_ADMIN, Role.TRAINING_SCHOOL_ADMIN),
            _e("直播讲座", "/admin/training/lectures", Role.TRAINING_CENTRE_ADMIN, Role.TRAINING_SCHOOL_ADMIN),
            _e("直播开办申请", "/admin/training/hosting-applications", Role.TRAINING_CENTRE_ADMIN, Role.TRAINING_SCHOOL_ADMIN),
            _e("参训教师", "/admin/training/trainees", Role.TRAINING_CENTRE_ADMIN, Role.TRAINING_SCHOOL_ADMIN),
            _e("线下活动", "/admin/training/activities", Role.TRAINING_SCHOOL_ADMIN),
            _e("校外活动学分申报", "/admin/training/declarations", Role.TRAINING_SCHOOL_ADMIN),
            _e("短信模拟发件箱", "/admin/training/sms-outbox", Role.TRAINING_CENTRE_ADMIN),
        ),
    ),
    Section(
        "学分与证书",
        (
            _e("参训教师学时账户", "/admin/training/ledgers", Role.TRAINING_SCHOOL_ADMIN, Role.TRAINING_CENTRE_ADMIN, AUD),
            _e("证书查询", "/admin/training/certificates", Role.TRAINING_SCHOOL_ADMIN, Role.TRAINING_CENTRE_ADMIN, AUD),
            _e("证书更正", "/admin/training/certificates?open_report=1", Role.TRAINING_CENTRE_ADMIN),
            _e("批量生成证书", "/admin/training/certificate-batches", Role.TRAINING_SCHOOL_ADMIN, Role.TRAINING_CENTRE_ADMIN),
        ),
    ),
    Section(
        "审计",
        (
            _e("记录历史查询", "/admin/audit/aggregates", AUD),
            _e("审计日志", "/admin/audit/log", AUD),
            _e("审计链校验", "/admin/audit/chain", AUD),
        ),
    ),
)


def menu_for(actor: Actor) -> list[Section]:
    """The actor's entries; where a page has one name per role, the first that fits the actor."""
    out, seen = [], set()
    for section in MENU:
        entries = []
        for e in section.entries:
            if actor.roles & e.roles and (section.label, e.href) not in seen:
                seen.add((section.label, e.href))
                entries.append(e)
        if entries:
            out.append(Section(section.label, tuple(entries)))
    return out


def _area(href: str) -> str:
    return href.split("?", 1)[0].rstrip("/")


def can_open(actor: Actor, href: str) -> bool:
    """Whether the actor's roles reach the menu area `href` lies in (the longest menu path it
    starts with): record pages link to other records only where the viewer may open them.
    A path under no menu entry is open to every signed-in user."""
    path = _area(href)
    areas = [e for s in MENU for e in s.entries if path == _area(e.href) or path.startswith(_area(e.href) + "/")]
    if not areas:
        return True
    longest = max(len(_area(e.href)) for e in areas)
    return any(actor.roles & e.roles for e in areas if len(_area(e.href)) == longest)


def page_label(actor: Actor, path: str, default: str) -> str:
    """The page's heading as the actor's menu names it (汇款单确认 for finance, 汇款单查询 for others)."""
    for section in menu_for(actor):
        for e in section.entries:
            if _area(e.href) == _area(path) and "?" not in e.href:
                return e.label
    return default
