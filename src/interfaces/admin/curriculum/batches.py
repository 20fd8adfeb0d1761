"""选课批次 and 考试批次 (requirements/curriculum.md §3.1, §3.2, §3.3; requirements/exams.md §2): a
course is selectable only while a selection batch holding it is in its selection period (选课期) and an exam batch
holding it is in its registration period (报考期); a drop is requested in the selection
batch's drop period (退课期, by default from selection start to a month after it ends).

Both kinds of batch have the same pages (list and create, record page with its periods, its
courses and the audit tab); `BatchKind` says what differs: the periods and the use cases."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Template
from sqlalchemy import Connection

from application.common.actor import Actor
from application.curriculum.queries import (
    get_exam_batch,
    get_selection_batch,
    list_exam_batches,
    list_selection_batches,
)
from domains.shared.errors import DomainError
from infrastructure.container import Container
from interfaces.admin.common.forms import (
    Form,
    done,
    error_field,
    page_number,
    refusal_status,
)
from interfaces.admin.common.guards import requires_role
from interfaces.admin.common.lists import in_pages
from interfaces.admin.common.rendering import audit_tab, page
from interfaces.admin.curriculum.forms import attempt, course_ids_by_code, text
from interfaces.admin.curriculum.roles import EDITORS, READERS


@dataclass(frozen=True)
class BatchKind:
    label: str  # 选课批次 / 考试批次
    path: str
    periods: tuple[tuple[str, str], ...]  # (prefix of the fields, label): selection -> selection_starts_on ...
    optional: frozenset[str]  # periods that may be left empty when the batch is created
    hint: str
    list_batches: Callable[..., list[dict[str, Any]]]
    get_batch: Callable[..., dict[str, Any]]
    register: str  # the Curriculum use cases
    change_periods: str

    @property
    def fields(self) -> list[str]:
        return [f"{p}_{end}" for p, _ in self.periods for end in ("starts_on", "ends_on")]

    def dates(self, data: dict[str, Any]) -> dict[str, str | None]:
        return {f: text(data, f) or None for f in self.fields}

    def shaped(self, batch: dict[str, Any]) -> dict[str, Any]:
        """The batch with its periods as the templates list them."""
        batch["periods"] = [
            {"label": label, "starts_on": batch[f"{p}_starts_on"], "ends_on": batch[f"{p}_ends_on"],
             "open": batch.get(f"{p}_open")}
            for p, label in self.periods
        ]
        return batch


SELECTION = BatchKind(
    label="选课批次", path="/admin/selection-batches",
    periods=(("selection", "选课期"), ("drop", "退课期")), optional=frozenset({"drop"}),
    hint="退课期不填时默认为选课开始至选课结束后一个月；退课期不能早于选课期开始。",
    list_batches=list_selection_batches, get_batch=get_selection_batch,
    register="register_selection_batch", change_periods="change_selection_periods",
)
EXAMS = BatchKind(
    label="考试批次", path="/admin/exam-batches",
    periods=(("registration", "报考期"),), optional=frozenset(),
    hint="课程须同时在选课期内的选课批次和报考期内的考试批次中，学生才能选课。",
    list_batches=list_exam_batches, get_batch=get_exam_batch,
    register="register_exam_batch", change_periods="change_exam_registration_period",
)


class _BatchPages(Controller):
    """Shared by the two controllers below; never registered itself. Academic affairs edits,
    the system administrator and auditors read; the use cases check every change again."""

    kind: BatchKind
    guards = [requires_role(*READERS)]

    def _index(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
               status_code: int = 200, **context: Any) -> Template:
        rows = [self.kind.shaped(b) for b in self.kind.list_batches(reader, actor, services.clock.now())]
        context.setdefault("form", {})
        return page(request, "curriculum_batches.html", actor, status_code=status_code, kind=self.kind,
                    result=in_pages(rows, page_number(request)), can_edit=actor.has(*EDITORS), **context)

    @get("/", sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection) -> Template:
        return self._index(request, actor, services, reader)

    @post("/", sync_to_thread=True)
    def create(
        self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection, data: Form,
    ) -> Response[Any]:
        try:
            course_ids = course_ids_by_code(reader, actor, text(data, "course_codes"))
            batch_id = getattr(services.curriculum, self.kind.register)(
                actor, code=text(data, "code"), name=text(data, "name"), course_ids=course_ids, **self.kind.dates(data)
            )
        except DomainError as exc:
            if exc.kind == "forbidden":
                raise
            return self._index(request, actor, services, reader, refusal_status(exc), form=data, error=exc.message,
                               error_field=error_field(exc))
        return done(request, f"{self.kind.path}/{batch_id}", f"{self.kind.label}“{text(data, 'name')}”已创建")

    # -- one batch -------------------------------------------------------------------------

    def _show(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
              batch_id: uuid.UUID, status_code: int = 200, **context: Any) -> Template:
        batch = self.kind.shaped(self.kind.get_batch(reader, actor, batch_id, services.clock.now()))
        context.setdefault("form", {f: batch[f] for f in self.kind.fields})
        return page(request, "curriculum_batch.html", actor, status_code=status_code, kind=self.kind, batch=batch,
                    can_edit=actor.has(*EDITORS), history=audit_tab(reader, batch_id), **context)

    @get("/{batch_id:uuid}", sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
             batch_id: uuid.UUID) -> Template:
        return self._show(request, actor, services, reader, batch_id)

    def _act(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
             batch_id: uuid.UUID, data: dict[str, Any], message: str, action: Callable[[], Any],
             form: dict[str, Any] | None = None) -> Response[Any]:
        """One change of the record page; `action` runs after the batch is found (404 otherwise)."""
        self.kind.get_batch(reader, actor, batch_id, services.clock.now())  # a batch of this kind, or 404
        context = {"form": form} if form is not None else {}
        return attempt(
            request, action, f"{self.kind.path}/{batch_id}", message,
            lambda exc: self._show(request, actor, services, reader, batch_id, refusal_status(exc), error=exc.message,
                                   error_field=error_field(exc), added=text(data, "course_codes"), **context),
        )

    @post("/{batch_id:uuid}/periods", sync_to_thread=True)
    def periods(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
                batch_id: uuid.UUID, data: Form) -> Response[Any]:
        dates = {f: v or "" for f, v in self.kind.dates(data).items()}
        return self._act(
            request, actor, services, reader, batch_id, {}, "、".join(label for _, label in self.kind.periods) + "已修改",
            lambda: getattr(services.curriculum, self.kind.change_periods)(
                actor, batch_id, reason=text(data, "reason") or None, **dates
            ),
            form=data,
        )

    @post("/{batch_id:uuid}/courses", sync_to_thread=True)
    def add_courses(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
                    batch_id: uuid.UUID, data: Form) -> Response[Any]:
        def add() -> None:
            course_ids = course_ids_by_code(reader, actor, text(data, "course_codes"))
            services.curriculum.add_batch_courses(actor, batch_id, course_ids)

        return self._act(request, actor, services, reader, batch_id, data, "课程已加入批次", add)

    @post("/{batch_id:uuid}/courses/{course_id:uuid}/remove", sync_to_thread=True)
    def remove_course(self, request: Request[Any, Any, Any], actor: Actor, services: Container, reader: Connection,
                      batch_id: uuid.UUID, course_id: uuid.UUID, data: Form) -> Response[Any]:
        return self._act(
            request, actor, services, reader, batch_id, {}, "课程已移出批次",
            lambda: services.curriculum.remove_batch_course(actor, batch_id, course_id),
        )


class SelectionBatchPages(_BatchPages):
    path = SELECTION.path
    kind = SELECTION


class ExamBatchPages(_BatchPages):
    path = EXAMS.path
    kind = EXAMS
