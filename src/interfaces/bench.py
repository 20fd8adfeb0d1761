"""The project's benchmark: our real paths measured side by side with raw references, in one run.

Figures (events or rows per second; each ratio is to its raw reference, measured in the same
database by the same process right beside the path it is compared with):

  raw_insert       executemany of rows shaped like `stored_events` (originator id, version,
                   topic, state of exactly the bytes the bulk approval stored) into a scratch
                   table, through the event store's own connection, one transaction per batch
                   of the size the bulk path writes at once; measured right before and right
                   after the bulk path, the better of the two counts.
  enter_form       setting up, stock path: `Admissions.enter_form`, one form per call (on
                   the smaller sample the stock approval then uses).
  enter_forms      setting up, bulk: `Admissions.enter_forms` (chunks of 500, one save each).
  stock_approve    the stock library path: `Admissions.approve_form`, one form, one `save`,
                   inline projections after each (on a smaller sample).
  bulk_approve     `Admissions.approve_forms` over every form, inline projections included
                   (catch-up finished before the clock stops).
  bulk_vs_stock    bulk_approve / stock_approve.
  raw_scan_insert  reading the event table and inserting as many rows into a scratch table,
                   in pages of the projection runner's batch size; right before and right after
                   the rebuild, the better of the two counts.
  rebuild          `ProjectionRunner.rebuild()` of every read model.
  raw_insert_selection
                   executemany of exactly the rows the selection rush stored, one transaction
                   per chunk of learners the batch selection writes at once; right after it.
  selection_rush   a course-selection rush: `BatchSelections` (the background job's body, run
                   here) selecting 5 courses for every learner of one cohort (20,000 by default):
                   enrollments, credit-fee and exam-fee bills, final-exam registrations, the
                   per-learner results, inline projections caught up.
  certificate_render, certificate_issue
                   certificates per second, the PDF included (`interfaces.bench_certificates`).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from application.admissions.projection import admission_batches, programmes
from application.common.actor import SYSTEM, Actor
from application.enrolment.batch_selection import CHUNK, get_batch_selection
from application.learners.projection import learners as learner_rows
from application.organisation.projection import teaching_points
from domains.shared.values import Role
from infrastructure.container import Container, build
from infrastructure.schema import migrate_database
from interfaces.demo import open_catalogue

SCRATCH_INSERT = "bench_raw_events"
SCRATCH_COPY = "bench_raw_copy"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@dataclass
class Figure:
    label: str
    value: float
    unit: str
    ratio: float | None = None
    reference: str | None = None
    note: str = ""


# -- test data ---------------------------------------------------------------------------------


def id_number(i: int) -> str:
    """The i-th distinct valid 18-digit ID number (GB 11643 check digit)."""
    birth = date(1980, 1, 1) + timedelta(days=i // 1000)
    body = f"320102{birth:%Y%m%d}{i % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def applicant(i: int) -> dict[str, Any]:
    return {
        "name": f"测试学员{i}",
        "id_number": id_number(i),
        "ethnicity": "汉族",
        "mobile": f"139{i:08d}",
        "email": f"learner{i}@example.edu.cn",
        "address": "江苏省南京市玄武区北京东路41号",
        "occupation": "南京某某科技有限公司",
        "prior_level": "大专",
        "prior_school": "南京城市职业学院",
        "prior_major": "会计",
        "prior_graduation_date": "2012-07-01",
        "prior_certificate_number": f"1234567890{i:06d}",
    }


@dataclass
class Setting:
    teaching_point: uuid.UUID
    admission_batch: uuid.UUID
    programme: uuid.UUID
    entrant: Actor
    reviewer: Actor


def set_up_school(c: Container) -> Setting:
    org, adm = c.organisation, c.admissions
    org.register_school(SYSTEM, c.settings.school_code, c.settings.school_name)
    tp = org.register_teaching_point(SYSTEM, "901", "基准测试学习中心", "南京市玄武区", "李娟", "025-84321234")
    today = c.clock.today()
    sb = adm.register_study_batch(SYSTEM, "B-BENCH", "基准批次")
    ab = adm.register_admission_batch(
        SYSTEM, "A-BENCH", "基准招生批次", sb, (today - timedelta(days=30)).isoformat(),
        (today + timedelta(days=60)).isoformat(),
    )
    programme = adm.register_programme(
        SYSTEM, code="P-BENCH", level="专升本", learner_type="开放教育", learner_source="开放教育",
        major="会计学", length_of_schooling="2.5年", teaching_point_ids=[tp],
    )
    return Setting(tp, ab, programme, _entrant(tp), _reviewer())


def _entrant(tp: uuid.UUID) -> Actor:
    return Actor(
        user_id=None, username="bench-tp", name="教学点", roles=frozenset({Role.TEACHING_POINT_ADMIN}),
        teaching_point_id=tp,
    )


def _reviewer() -> Actor:
    return Actor(user_id=None, username="bench-jiaowu", name="教务", roles=frozenset({Role.ACADEMIC_AFFAIRS}))


def enter_forms(c: Container, s: Setting, first: int, count: int) -> list[uuid.UUID]:
    """Through the real use case `Admissions.enter_form`, one form per call."""
    return [
        c.admissions.enter_form(
            s.entrant, admission_batch_id=s.admission_batch, programme_id=s.programme, applicant=applicant(i)
        )
        for i in range(first, first + count)
    ]


def enter_forms_in_bulk(c: Container, s: Setting, first: int, count: int) -> list[uuid.UUID]:
    """Through the real bulk use case `Admissions.enter_forms` (what a CSV import can use)."""
    outcomes = c.admissions.enter_forms(
        s.entrant, admission_batch_id=s.admission_batch, programme_id=s.programme,
        applicants=[applicant(i) for i in range(first, first + count)],
    )
    refused = [o for o in outcomes if not o.ok]
    if refused:
        raise RuntimeError(f"bulk entry refused {len(refused)} forms, e.g. {refused[0]}")
    return [o.form_id for o in outcomes if o.form_id is not None]


# -- raw references ----------------------------------------------------------------------------


class Raw:
    """Plain DB-API work on the event store's own connections (same database, same settings)."""

    def __init__(self, c: Container) -> None:
        self.c = c
        self.postgres = c.settings.is_postgres
        self.datastore = c.log.recorder.datastore  # type: ignore[attr-defined]
        self.events = c.log.recorder.events_table_name  # type: ignore[attr-defined]

    @contextlib.contextmanager
    def cursor(self) -> Iterator[Any]:
        if self.postgres:
            from psycopg.rows import tuple_row

            with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor(row_factory=tuple_row) as curs:
                yield curs
        else:
            with self.datastore.transaction(commit=True) as curs:
                yield curs

    @property
    def mark(self) -> str:
        return "%s" if self.postgres else "?"

    def create_scratch(self, name: str) -> None:
        with self.cursor() as curs:
            curs.execute(f"DROP TABLE IF EXISTS {name}")
            if self.postgres:
                curs.execute(
                    f"CREATE TABLE {name} (originator_id uuid NOT NULL, originator_version bigint NOT NULL, "
                    "topic text, state bytea, notification_id bigserial, "
                    "PRIMARY KEY (originator_id, originator_version))"
                )
                curs.execute(f"CREATE UNIQUE INDEX {name}_nid ON {name} (notification_id)")
            else:
                curs.execute(
                    f"CREATE TABLE {name} (originator_id TEXT, originator_version INTEGER, topic TEXT, "
                    "state BLOB, PRIMARY KEY (originator_id, originator_version))"
                )

    def drop_scratch(self, name: str) -> None:
        with self.cursor() as curs:
            curs.execute(f"DROP TABLE IF EXISTS {name}")

    def _id(self, value: Any) -> Any:
        if self.postgres:
            return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
        return value.hex if isinstance(value, uuid.UUID) else str(value)

    def insert(self, name: str, rows: Sequence[tuple[Any, int, str, bytes]], batch: int) -> float:
        """Seconds to executemany `rows` into `name`, one transaction per `batch` rows."""
        statement = (
            f"INSERT INTO {name} (originator_id, originator_version, topic, state) "
            f"VALUES ({', '.join([self.mark] * 4)})"
        )
        rows = [(self._id(r[0]), r[1], r[2], r[3]) for r in rows]
        started = time.perf_counter()
        for i in range(0, len(rows), batch):
            with self.cursor() as curs:
                curs.executemany(statement, rows[i : i + batch])
        return time.perf_counter() - started

    def events_after(self, position: int) -> list[tuple[Any, int, str, bytes]]:
        id_col = "notification_id" if self.postgres else "rowid"
        with self.cursor() as curs:
            curs.execute(
                f"SELECT originator_id, originator_version, topic, state FROM {self.events} "
                f"WHERE {id_col} > {self.mark} ORDER BY {id_col}",
                (position,),
            )
            rows = curs.fetchall()
        # Converted outside the transaction: PostgreSQL ends a session idle in a transaction.
        return [(r[0], r[1], r[2], bytes(r[3])) for r in rows]

    def scan_and_insert(self, name: str, page: int) -> tuple[int, float]:
        """Read every stored event in pages and insert each page into `name`: (rows, seconds)."""
        id_col = "notification_id" if self.postgres else "rowid"
        select = (
            f"SELECT {id_col}, originator_id, originator_version, topic, state FROM {self.events} "
            f"WHERE {id_col} > {self.mark} ORDER BY {id_col} LIMIT {self.mark}"
        )
        insert = (
            f"INSERT INTO {name} (originator_id, originator_version, topic, state) "
            f"VALUES ({', '.join([self.mark] * 4)})"
        )
        total, last = 0, 0
        started = time.perf_counter()
        while True:
            with self.cursor() as curs:
                curs.execute(select, (last, page))
                rows = curs.fetchall()
                if not rows:
                    break
                curs.executemany(insert, [(r[1], r[2], r[3], r[4]) for r in rows])
            total += len(rows)
            last = rows[-1][0]
        return total, time.perf_counter() - started


# -- the run -----------------------------------------------------------------------------------


def _settings(database_url: str, var_dir: str) -> Any:
    from infrastructure.settings import load_settings

    keep = {k: os.environ.get(k) for k in ("EDULEDGER_VAR_DIR", "EDULEDGER_SECRET_KEY", "EDULEDGER_AUDIT_KEY")}
    os.environ.update(
        EDULEDGER_VAR_DIR=var_dir, EDULEDGER_SECRET_KEY="bench-secret", EDULEDGER_AUDIT_KEY="bench-audit"
    )
    try:
        return load_settings(database_url=database_url, projections="inline", broker_url=None)
    finally:
        for k, v in keep.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _check_empty(c: Container) -> None:
    raw = Raw(c)
    with raw.cursor() as curs:
        curs.execute(f"SELECT COUNT(*) FROM {raw.events}")
        if curs.fetchone()[0]:
            raise SystemExit(f"eduledger bench needs an empty database: {raw.events} already has rows")


def _count_after(c: Container, position: int) -> int:
    return int(c.log.recorder.max_notification_id() or 0) - position  # type: ignore[attr-defined]


def _position(c: Container) -> int:
    return int(c.log.recorder.max_notification_id() or 0)  # type: ignore[attr-defined]


def run(
    forms: int = 10_000,
    database_url: str | None = None,
    stock_forms: int = 1_000,
    progress: Callable[[str], None] = lambda _: None,
    selection_learners: int = 20_000,
    certificates: int = 200,
) -> dict[str, Figure]:
    tmp = tempfile.mkdtemp(prefix="eduledger-bench-")
    try:
        url = database_url or f"sqlite:///{os.path.join(tmp, 'bench.sqlite3')}"
        settings = _settings(url, tmp)
        if settings.is_postgres:
            migrate_database(settings)  # a PostgreSQL process only starts on a migrated database
        c = build(settings, fast_hashing=True)
        try:
            _check_empty(c)
            figures = _run(c, forms, min(stock_forms, forms), progress)
            figures.update(_selection_rush(c, selection_learners, progress))
            figures.update(_certificates(c, certificates, progress))
            return figures
        finally:
            c.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _raw_insert_rate(raw: Raw, sample: Sequence[tuple[Any, int, str, bytes]], transactions: int) -> float:
    """Rows per second of inserting rows like `sample` (fresh ids) in `transactions` batches."""
    rows = [(uuid.uuid4(), version, topic, state) for _, version, topic, state in sample]
    raw.create_scratch(SCRATCH_INSERT)
    try:
        return len(rows) / raw.insert(SCRATCH_INSERT, rows, batch=-(-len(rows) // transactions))
    finally:
        raw.drop_scratch(SCRATCH_INSERT)


def _raw_scan_rate(raw: Raw, page: int) -> float:
    raw.create_scratch(SCRATCH_COPY)
    try:
        copied, took = raw.scan_and_insert(SCRATCH_COPY, page=page)
        return copied / took
    finally:
        raw.drop_scratch(SCRATCH_COPY)


def _run(c: Container, forms: int, stock_forms: int, progress: Callable[[str], None]) -> dict[str, Figure]:
    figures: dict[str, Figure] = {}
    raw = Raw(c)
    s = set_up_school(c)

    progress(f"entering {stock_forms} application forms one by one (enter_form) ...")
    before = _position(c)
    started = time.perf_counter()
    stock_ids = enter_forms(c, s, 0, stock_forms)
    c.runner.catch_up()
    figures["enter_form"] = Figure(
        f"stock: enter_form x {stock_forms}", _count_after(c, before) / (time.perf_counter() - started), "events/s"
    )

    progress(f"entering {forms} application forms in bulk (enter_forms) ...")
    before = _position(c)
    started = time.perf_counter()
    bulk_ids = enter_forms_in_bulk(c, s, stock_forms, forms)
    c.runner.catch_up()
    figures["enter_forms"] = Figure(
        f"ours: enter_forms x {forms}", _count_after(c, before) / (time.perf_counter() - started), "events/s"
    )

    progress(f"stock path: approve_form x {stock_forms} ...")
    stock_start = before = _position(c)
    started = time.perf_counter()
    for fid in stock_ids:
        c.admissions.approve_form(s.reviewer, fid)
    c.runner.catch_up()
    took = time.perf_counter() - started
    stock = _count_after(c, before) / took
    figures["stock_approve"] = Figure(f"stock: approve_form x {stock_forms}", stock, "events/s")

    # The raw reference is measured right before and right after the bulk path, and the better
    # of the two counts (the machine may be busy with other work at either moment). Before, the
    # rows are the stock approvals' events (the same kinds of event), repeated to the count the
    # bulk path will write; after, they are exactly the rows the bulk path wrote.
    chunks = -(-forms // 500)  # approve_forms writes one chunk of 500 forms per transaction
    sample = raw.events_after(stock_start)
    expected = 3 * forms + chunks
    progress("raw insert, before the bulk path ...")
    raw_before = _raw_insert_rate(raw, [sample[i % len(sample)] for i in range(expected)], chunks)

    progress(f"bulk path: approve_forms x {forms} ...")
    before = _position(c)
    started = time.perf_counter()
    outcomes = c.admissions.approve_forms(s.reviewer, bulk_ids)
    c.runner.catch_up()
    took = time.perf_counter() - started
    if not all(o.ok for o in outcomes):
        raise RuntimeError("bulk approval refused a form: " + next(str(o) for o in outcomes if not o.ok))
    written = _count_after(c, before)
    bulk = written / took
    figures["bulk_approve"] = Figure(f"ours: approve_forms x {forms}", bulk, "events/s")

    progress("raw insert of the same rows, after the bulk path ...")
    rows = raw.events_after(before)
    raw_after = _raw_insert_rate(raw, rows, chunks)
    figures["raw_insert"] = Figure(
        f"raw executemany of {len(rows)} event-sized rows (best of before/after: "
        f"{raw_before:,.0f} / {raw_after:,.0f})",
        max(raw_before, raw_after),
        "rows/s",
    )

    progress("raw scan and insert, before the rebuild ...")
    scan_before = _raw_scan_rate(raw, c.runner.batch_size)
    progress("rebuilding every read model ...")
    started = time.perf_counter()
    read = c.runner.rebuild()
    rebuild = read / (time.perf_counter() - started)
    figures["rebuild"] = Figure(f"ours: rebuild of all read models, {read} events", rebuild, "events/s")
    progress("raw scan and insert, after the rebuild ...")
    scan_after = _raw_scan_rate(raw, c.runner.batch_size)
    figures["raw_scan_insert"] = Figure(
        f"raw scan + insert of {read} rows (best of before/after: {scan_before:,.0f} / {scan_after:,.0f})",
        max(scan_before, scan_after),
        "rows/s",
    )

    for name, ref in (("enter_form", "raw_insert"), ("enter_forms", "raw_insert"), ("stock_approve", "raw_insert"),
                      ("bulk_approve", "raw_insert"), ("rebuild", "raw_scan_insert")):
        figures[name].ratio = figures[name].value / figures[ref].value
        figures[name].reference = ref
    figures["bulk_vs_stock"] = Figure("ours / stock", bulk / stock, "x")
    order = ["raw_insert", "enter_form", "enter_forms", "stock_approve",
             "bulk_approve", "bulk_vs_stock", "raw_scan_insert", "rebuild"]
    return {k: figures[k] for k in order}


# Five courses of the bench programme: three with a final exam (exam fee and registration too).
BENCH_COURSES = [
    (f"B000{n}", f"基准课程{n}", "3", ("本科",), n <= 3, {"P-BENCH": 1 + n // 3}) for n in range(1, 6)
]


def _selection_rush(c: Container, learners: int, progress: Callable[[str], None]) -> dict[str, Figure]:
    s = _setting(c)
    admitted = _cohort(c, s, learners)
    if len(admitted) < learners:
        progress(f"admitting {learners - len(admitted)} more learners for the selection rush ...")
        with c.engine.connect() as conn:
            first = conn.execute(select(learner_rows.c.id)).all()
        forms = enter_forms_in_bulk(c, s, 10_000_000 + len(first), learners - len(admitted))
        c.admissions.approve_forms(s.reviewer, forms)
        admitted = _cohort(c, s, learners)
    finance = Actor(user_id=None, username="bench-caiwu", name="财务", roles=frozenset({Role.FINANCE}))
    catalogue = open_catalogue(c, s.reviewer, finance, {"P-BENCH": s.programme}, c.clock.today(), BENCH_COURSES, code="B")

    progress(f"selection rush: {len(admitted)} learners x {len(catalogue.courses)} courses in batch ...")
    raw = Raw(c)
    before = _position(c)
    started = time.perf_counter()
    job_id = c.batch_selections.start(s.entrant, admitted, list(catalogue.courses.values()))
    c.batch_selections.run(job_id)
    c.runner.catch_up()
    took = time.perf_counter() - started
    with c.engine.connect() as conn:
        job = get_batch_selection(conn, s.entrant, job_id)
    if job["status"] != "done" or job["failed"]:
        raise RuntimeError(f"the selection rush did not select for every learner: {job['status']}, {job['failed']} failed")
    rate = _count_after(c, before) / took

    progress("raw insert of the same rows, after the selection rush ...")
    rows = raw.events_after(before)
    raw_rate = _raw_insert_rate(raw, rows, -(-len(admitted) // CHUNK))
    return {
        "raw_insert_selection": Figure(f"raw executemany of the {len(rows)} rows the rush stored", raw_rate, "rows/s"),
        "selection_rush": Figure(
            f"ours: batch selection, {len(admitted)} learners x {len(catalogue.courses)} courses "
            "(bills, exam registrations, job results, projections)",
            rate, "events/s", ratio=rate / raw_rate, reference="raw_insert_selection",
        ),
    }


def _certificates(c: Container, count: int, progress: Callable[[str], None]) -> dict[str, Figure]:
    from interfaces import bench_certificates

    rendered = bench_certificates.renders(c, count, progress)
    issued = bench_certificates.issues(c, count, progress)
    return {
        "certificate_render": Figure(
            f"PDF only: render x {count} certificates of 12 items (a quarter amended)", rendered, "certs/s"
        ),
        "certificate_issue": Figure(
            f"ours: apply + download (PDF) x {count} trainees, one after another", issued, "certs/s",
            ratio=issued / rendered, reference="certificate_render",
        ),
    }


def _setting(c: Container) -> Setting:
    """The bench school `set_up_school` made, found again by its codes."""
    with c.engine.connect() as conn:
        tp = conn.execute(select(teaching_points.c.id).where(teaching_points.c.code == "901")).scalar_one()
        ab = conn.execute(select(admission_batches.c.id).where(admission_batches.c.code == "A-BENCH")).scalar_one()
        programme = conn.execute(select(programmes.c.id).where(programmes.c.code == "P-BENCH")).scalar_one()
    return Setting(tp, ab, programme, _entrant(tp), _reviewer())


def _cohort(c: Container, s: Setting, limit: int) -> list[uuid.UUID]:
    with c.engine.connect() as conn:
        return list(conn.execute(
            select(learner_rows.c.id).where(learner_rows.c.programme_id == s.programme)
            .order_by(learner_rows.c.student_number).limit(limit)
        ).scalars())


TARGETS = {"bulk_approve": ("raw_insert", 0.20), "bulk_vs_stock": (None, 7.0), "rebuild": ("raw_scan_insert", 0.30)}


def table(figures: dict[str, Figure], database: str, note: str = "") -> str:
    lines = [f"eduledger bench ({database}){'; ' + note if note else ''}", ""]
    lines.append(f"{'figure':<20} {'value':>12}  {'unit':<9} {'ratio':>8}  {'to':<20} {'target':<8} what")
    for name, f in figures.items():
        ratio = "" if f.ratio is None else f"{f.ratio:8.1%}"
        target = ""
        if name in TARGETS:
            _, want = TARGETS[name]
            got = f.value if f.unit == "x" else (f.ratio or 0.0)
            target = (f">= {want:g}x" if f.unit == "x" else f">= {want:.0%}") + (" ok" if got >= want else " MISS")
        value = f"{f.value:12.1f}" if f.unit == "x" or f.value < 100 else f"{f.value:12,.0f}"
        lines.append(f"{name:<20} {value}  {f.unit:<9} {ratio:>8}  {f.reference or '':<20} {target:<8} {f.label}")
    return "\n".join(lines)


def as_json(figures: dict[str, Figure]) -> dict[str, dict[str, Any]]:
    return {
        name: {"value": round(f.value, 3), "unit": f.unit, "ratio": None if f.ratio is None else round(f.ratio, 4)}
        for name, f in figures.items()
    }


def write_json(figures: dict[str, Figure], path: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(as_json(figures), fh, indent=2)
        fh.write("\n")
