"""The trainee's own pages on the training platform (教师在线学习中心, seed 000 §1-12).

- `/training/register`: the first registration, from inside the school's campus IP ranges, with
  the unit name equal to the school's full name; `/training/login`: account login (any address).
- `/training/courses`: 课程资源 with source labels, filters by type and hours and an ordering;
  我要报名 -> 确认报名 for one or many courses; `/training/training-list`: 培训课单, one click.
- `/training/my-courses`: 我的培训课程; a course page shows each chapter's progress (the player
  reports watched intervals through the API; the server decides) and the summary assignment.
- `/training/lectures`, `/training/hosting`, `/training/declarations`: 直播讲座 (sign-up in
  advance), 我的直播 (hosting applications), 校外活动学分申报.
- `/training/hours`: 我的学时明细; `/training/bindings`: WeChat / mobile binding.
Every form carries the CSRF token; every refusal shows its Chinese message on the page.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template

from application.common.actor import Actor
from application.common.queries import Page
from application.training import learning_queries as q
from domains.shared.errors import DomainError, InvalidInput
from domains.shared.values import Role
from domains.training.resources import RESOURCE_LABELS
from interfaces.admin.common.forms import Form, as_list, refusal_status, uuid_param
from interfaces.admin.common.session import (
    COOKIE,
    LoginRequired,
    cookie_secure,
    expired_cookie,
    session_cookie,
)
from interfaces.admin.training.administration import SORTS, read_model, tenths_of
from interfaces.http.api.training.schemas import ProgressIn
from interfaces.http.context import client_address, container_of, login, resolve_actor

BASE = "/training"
FLASH = "eduledger_training_flash"
KINDS = [(k.value, label) for k, label in RESOURCE_LABELS.items()]
HOURS_RANGES = [("", "全部"), ("0-20", "2学时以内"), ("21-50", "2.1~5学时"), ("51-", "5学时以上")]


class TraineeLoginRequired(LoginRequired):
    pass


def trainee_actor(request: Request[Any, Any, Any]) -> Actor:
    actor = resolve_actor(container_of(request), request.cookies.get(COOKIE), "admin")
    if actor is None or not actor.has(Role.TRAINEE):
        raise TraineeLoginRequired(detail="请先登录")
    return actor


def to_login(request: Request[Any, Any, Any], _: Exception) -> Response[Any]:
    return Redirect(f"{BASE}/login")


def portal(request: Request[Any, Any, Any], template: str, actor: Actor | None, status_code: int = 200,
           **context: Any) -> Template:
    raw = request.cookies.get(FLASH)
    try:
        message = bytes.fromhex(raw).decode() if raw else None
    except ValueError:
        message = None
    response = Template(template_name=template, status_code=status_code, context={
        "actor": actor, "flash": message, "path": request.url.path, "query": dict(request.query_params), **context,
    })
    if raw:
        response.delete_cookie(FLASH, path=BASE)
    return response


def done(request: Request[Any, Any, Any], to: str, message: str) -> Response[Any]:
    response = Redirect(to)
    response.set_cookie(key=FLASH, value=message.encode().hex(), max_age=60, httponly=True,
                        secure=cookie_secure(request), samesite="lax", path=BASE)
    return response


def _wechat_code(request: Request[Any, Any, Any], wechat_user: str) -> str:
    """An OAuth code from the WeChat simulator for the named WeChat user (the embedded default)."""
    wechat = container_of(request).training.wechat
    if not hasattr(wechat, "authorize"):
        raise DomainError("training_login.wechat_unavailable", "请使用微信扫码授权登录")
    name = wechat_user.strip()
    if not name:
        raise InvalidInput("training_login.wechat_user_required", "请输入微信号（模拟授权）", field="wechat_user")
    return str(wechat.authorize(name[:64]))


def _hours_range(raw: str) -> tuple[int | None, int | None]:
    low, _, high = (raw or "").partition("-")
    return (int(low) if low.isdigit() else None, int(high) if high.isdigit() else None)


class TrainingPortalPages(Controller):
    path = BASE
    exception_handlers = {TraineeLoginRequired: to_login}

    # -- registration and login -------------------------------------------------------------------

    def _register_form(self, request: Request[Any, Any, Any], form: dict[str, Any], status_code: int = 200,
                       **context: Any) -> Template:
        schools = read_model(request, q.school_choices)
        return portal(request, "training_portal_register.html", None, status_code=status_code, form=form,
                      schools=schools, **context)

    @get("/register", sync_to_thread=True)
    def register_form(self, request: Request[Any, Any, Any]) -> Template:
        return self._register_form(request, {})

    @post("/register", sync_to_thread=True)
    def register(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        school_id = uuid_param(data.get("school_id"))
        if school_id is None:
            return self._register_form(request, data, 422, error="请选择所在学校的培训平台")
        try:
            container_of(request).training.trainees.register(
                school_id=school_id, address=client_address(request), unit_name=str(data.get("unit_name") or ""),
                username=str(data.get("username") or ""), name=str(data.get("name") or ""),
                password=str(data.get("password") or ""), confirm_password=str(data.get("confirm_password") or ""),
                mobile=str(data.get("mobile") or "") or None,
            )
        except DomainError as exc:
            status = {"forbidden": 403}.get(exc.kind, refusal_status(exc))
            return self._register_form(request, {k: v for k, v in data.items() if "password" not in k}, status,
                                       error=exc.message)
        return done(request, f"{BASE}/login", "注册成功，请使用账号和密码登录")

    @get("/login", sync_to_thread=True)
    def login_form(self, request: Request[Any, Any, Any]) -> Template:
        return portal(request, "training_portal_login.html", None)

    @post("/login", sync_to_thread=True)
    def login(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        c = container_of(request)
        username = str(data.get("username", ""))
        try:
            actor, token, _ = login(c, username, str(data.get("password", "")), client_address(request), "admin")
        except DomainError as exc:
            return portal(request, "training_portal_login.html", None, error=exc.message, username=username)
        if not actor.has(Role.TRAINEE):
            c.sessions.close(token)
            return portal(request, "training_portal_login.html", None, username=username,
                          error="此入口供参训教师使用，管理员请从教务平台登录")
        response = Redirect(f"{BASE}/my-courses")
        response.set_cookie(session_cookie(request, token, c.settings.session_minutes * 60))
        return response

    def _login_page(self, request: Request[Any, Any, Any], status_code: int = 200, **context: Any) -> Template:
        return portal(request, "training_portal_login.html", None, status_code=status_code, **context)

    def _open_session(self, request: Request[Any, Any, Any], account_id: uuid.UUID) -> Response[Any]:
        c = container_of(request)
        token, _ = c.sessions.open(account_id, "admin")
        response = Redirect(f"{BASE}/my-courses")
        response.set_cookie(session_cookie(request, token, c.settings.session_minutes * 60))
        return response

    @post("/login/sms-code", sync_to_thread=True)
    def login_sms_code(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        mobile = str(data.get("mobile") or "")
        try:
            container_of(request).training.trainees.request_sms_code(mobile, client_address(request))
        except DomainError as exc:
            return self._login_page(request, refusal_status(exc), error=exc.message, mobile=mobile)
        return self._login_page(request, mobile=mobile, sms_sent=True)

    @post("/login/sms", sync_to_thread=True)
    def login_sms(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        mobile = str(data.get("mobile") or "")
        try:
            account_id = container_of(request).training.trainees.sms_login(mobile, str(data.get("code") or ""))
        except DomainError as exc:
            return self._login_page(request, refusal_status(exc), error=exc.message, mobile=mobile, sms_sent=True)
        return self._open_session(request, account_id)

    @post("/login/wechat", sync_to_thread=True)
    def login_wechat(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        """微信登录 through the configured WeChat OAuth adapter (the embedded default simulates it)."""
        try:
            code = _wechat_code(request, str(data.get("wechat_user") or ""))
            account_id = container_of(request).training.trainees.wechat_login(code)
        except DomainError as exc:
            return self._login_page(request, refusal_status(exc), error=exc.message)
        return self._open_session(request, account_id)

    @post("/logout", sync_to_thread=True)
    def logout(self, request: Request[Any, Any, Any]) -> Response[Any]:
        container_of(request).sessions.close(request.cookies.get(COOKIE))
        response = Redirect(f"{BASE}/login")
        response.set_cookie(expired_cookie(request))
        return response

    # -- resources and sign-up ----------------------------------------------------------------------

    @get("/courses", sync_to_thread=True)
    def courses(self, request: Request[Any, Any, Any]) -> Template:
        actor = trainee_actor(request)
        params = {k: str(v) for k, v in request.query_params.items() if v}
        low, high = _hours_range(params.get("hours", ""))
        number = int(params["page"]) if params.get("page", "").isdigit() else 1
        result = read_model(request, lambda conn: q.list_courses(
            conn, actor, Page(number=number), params.get("kind"), params.get("title"), low, high,
            params.get("sort", "newest"),
        ))
        return portal(request, "training_portal_courses.html", actor, result=result, params=params, kinds=KINDS,
                      sorts=SORTS, hours_ranges=HOURS_RANGES)

    @post("/courses/confirm", sync_to_thread=True)
    def confirm(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        """我要报名: the chosen courses shown once more before 确认报名."""
        actor = trainee_actor(request)
        ids = {str(u) for u in (uuid_param(v) for v in as_list(data.get("course_ids"))) if u}
        if not ids:
            return done(request, f"{BASE}/courses", "请先勾选要报名的课程")
        chosen = [c for c in read_model(request, lambda conn: q.list_courses(conn, actor, Page(size=200))).items
                  if str(c["id"]) in ids]
        return portal(request, "training_portal_confirm.html", actor, courses=chosen)

    @post("/sign-ups", sync_to_thread=True)
    def sign_up(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        """确认报名."""
        actor = trainee_actor(request)
        ids = [u for u in (uuid_param(v) for v in as_list(data.get("course_ids"))) if u]
        try:
            signed = container_of(request).training.learning.sign_up(actor, ids)
        except DomainError as exc:
            return done(request, f"{BASE}/courses", exc.message)
        return done(request, f"{BASE}/my-courses", f"报名成功：{len(signed)}门课程")

    @get("/training-list", sync_to_thread=True)
    def training_list(self, request: Request[Any, Any, Any]) -> Template:
        actor = trainee_actor(request)
        return portal(request, "training_portal_training_list.html", actor, courses=read_model(request, q.training_list, actor))

    @post("/training-list/sign-up", sync_to_thread=True)
    def sign_up_training_list(self, request: Request[Any, Any, Any]) -> Response[Any]:
        actor = trainee_actor(request)
        try:
            signed = container_of(request).training.learning.sign_up_training_list(actor)
        except DomainError as exc:
            return done(request, f"{BASE}/training-list", exc.message)
        return done(request, f"{BASE}/my-courses", f"一键报名成功：{len(signed)}门课程")

    # -- learning -------------------------------------------------------------------------------------

    @get("/my-courses", sync_to_thread=True)
    def my_courses(self, request: Request[Any, Any, Any]) -> Template:
        actor = trainee_actor(request)
        return portal(request, "training_portal_my_courses.html", actor, studies=read_model(request, q.my_courses, actor))

    def _course(self, request: Request[Any, Any, Any], actor: Actor, course_id: uuid.UUID, status_code: int = 200,
                **context: Any) -> Template:
        course = read_model(request, q.get_course, actor, course_id)
        return portal(request, "training_portal_course.html", actor, status_code=status_code, course=course,
                      form=context.pop("form", {}), **context)

    @get("/my-courses/{course_id:uuid}", sync_to_thread=True)
    def course(self, request: Request[Any, Any, Any], course_id: uuid.UUID) -> Template:
        return self._course(request, trainee_actor(request), course_id)

    @post("/my-courses/{course_id:uuid}/chapters/{chapter_id:str}/progress", sync_to_thread=True, status_code=200)
    def progress(
        self, request: Request[Any, Any, Any], course_id: uuid.UUID, chapter_id: str, data: ProgressIn
    ) -> Response[Any]:
        """The course page's player reports what it played (its `played` ranges), with the CSRF
        header; the answer says whether the server counts the chapter complete."""
        actor = trainee_actor(request)
        try:
            completed = container_of(request).training.learning.report_watched(
                actor, course_id, chapter_id, data.intervals
            )
        except DomainError as exc:
            return Response({"code": exc.code, "detail": exc.message}, status_code=refusal_status(exc))
        course = read_model(request, q.get_course, actor, course_id)
        chapter = next(c for c in course["chapters"] if c["id"] == chapter_id)
        return Response({"chapter_completed": completed, "watched_seconds": chapter["watched_seconds"],
                         "hours_state": course["study"]["hours_state"]})

    @post("/my-courses/{course_id:uuid}/summary", sync_to_thread=True)
    def summary(self, request: Request[Any, Any, Any], course_id: uuid.UUID, data: Form) -> Response[Any]:
        actor = trainee_actor(request)
        try:
            container_of(request).training.learning.submit_summary(actor, course_id, str(data.get("text") or ""))
        except DomainError as exc:
            return self._course(request, actor, course_id, refusal_status(exc), error=exc.message, form=data)
        return done(request, f"{BASE}/my-courses/{course_id}", "总结作业已提交")

    # -- lectures, hosting, declarations ----------------------------------------------------------------

    @get("/lectures", sync_to_thread=True)
    def lectures(self, request: Request[Any, Any, Any]) -> Template:
        actor = trainee_actor(request)
        return portal(request, "training_portal_lectures.html", actor, lectures=read_model(request, q.list_lectures, actor))

    @post("/lectures/{lecture_id:uuid}/sign-up", sync_to_thread=True)
    def lecture_sign_up(self, request: Request[Any, Any, Any], lecture_id: uuid.UUID) -> Response[Any]:
        actor = trainee_actor(request)
        try:
            container_of(request).training.lectures.sign_up(actor, lecture_id)
        except DomainError as exc:
            return done(request, f"{BASE}/lectures", exc.message)
        return done(request, f"{BASE}/lectures", "讲座报名成功")

    def _hosting(self, request: Request[Any, Any, Any], actor: Actor, status_code: int = 200, **context: Any) -> Template:
        rows = read_model(request, q.list_hosting, actor, None)
        return portal(request, "training_portal_hosting.html", actor, status_code=status_code, rows=rows,
                      form=context.pop("form", {}), **context)

    @get("/hosting", sync_to_thread=True)
    def hosting(self, request: Request[Any, Any, Any]) -> Template:
        return self._hosting(request, trainee_actor(request))

    @post("/hosting", sync_to_thread=True)
    def apply(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        actor = trainee_actor(request)
        try:
            container_of(request).training.lectures.apply_to_host(
                actor, str(data.get("title") or ""), str(data.get("outline") or ""), str(data.get("preferred_date") or "")
            )
        except DomainError as exc:
            return self._hosting(request, actor, refusal_status(exc), error=exc.message, form=data)
        return done(request, f"{BASE}/hosting", "直播开办申请已提交，等待学校审核")

    def _declarations(self, request: Request[Any, Any, Any], actor: Actor, status_code: int = 200, **context: Any) -> Template:
        rows = read_model(request, q.list_declarations, actor, None)
        return portal(request, "training_portal_declarations.html", actor, status_code=status_code, rows=rows,
                      form=context.pop("form", {}), **context)

    @get("/declarations", sync_to_thread=True)
    def declarations(self, request: Request[Any, Any, Any]) -> Template:
        return self._declarations(request, trainee_actor(request))

    @post("/declarations", sync_to_thread=True)
    def declare(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        actor = trainee_actor(request)
        try:
            container_of(request).training.activities.declare(
                actor, str(data.get("title") or ""), str(data.get("organiser") or ""), str(data.get("held_on") or ""),
                tenths_of(data.get("hours")),  # type: ignore[arg-type]
            )
        except DomainError as exc:
            return self._declarations(request, actor, refusal_status(exc), error=exc.message, form=data)
        return done(request, f"{BASE}/declarations", "已提交申报，等待学校审核")

    # -- bindings -------------------------------------------------------------------------------------

    def _bindings(self, request: Request[Any, Any, Any], actor: Actor, status_code: int = 200, **context: Any) -> Template:
        return portal(request, "training_portal_bindings.html", actor, status_code=status_code,
                      member=read_model(request, q.my_membership, actor), **context)

    @get("/bindings", sync_to_thread=True)
    def bindings(self, request: Request[Any, Any, Any]) -> Template:
        return self._bindings(request, trainee_actor(request))

    @post("/bindings/wechat", sync_to_thread=True)
    def bind_wechat(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        actor = trainee_actor(request)
        try:
            code = _wechat_code(request, str(data.get("wechat_user") or ""))
            container_of(request).training.trainees.bind_wechat(actor, code)
        except DomainError as exc:
            return self._bindings(request, actor, refusal_status(exc), error=exc.message)
        return done(request, f"{BASE}/bindings", "微信已绑定，可使用微信登录")

    @post("/bindings/sms-code", sync_to_thread=True)
    def bind_sms_code(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        actor = trainee_actor(request)
        mobile = str(data.get("mobile") or "")
        try:
            container_of(request).training.trainees.request_sms_code(mobile, client_address(request))
        except DomainError as exc:
            return self._bindings(request, actor, refusal_status(exc), error=exc.message, mobile=mobile)
        return self._bindings(request, actor, mobile=mobile, sms_sent=True)

    @post("/bindings/mobile", sync_to_thread=True)
    def bind_mobile(self, request: Request[Any, Any, Any], data: Form) -> Response[Any]:
        actor = trainee_actor(request)
        mobile = str(data.get("mobile") or "")
        try:
            container_of(request).training.trainees.bind_mobile(actor, mobile, str(data.get("code") or ""))
        except DomainError as exc:
            return self._bindings(request, actor, refusal_status(exc), error=exc.message, mobile=mobile, sms_sent=True)
        return done(request, f"{BASE}/bindings", "手机号已绑定，可使用手机动态码登录")

    @get("/hours", sync_to_thread=True)
    def hours(self, request: Request[Any, Any, Any]) -> Template:
        actor = trainee_actor(request)
        return portal(request, "training_portal_hours.html", actor, detail=read_model(request, q.hours_detail, actor))
