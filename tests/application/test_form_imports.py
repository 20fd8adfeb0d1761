"""CSV import of application forms: checks at upload, per-row results through the real use
case, idempotent runs, scope, and the job running on dramatiq (StubBroker in process, or a
real broker when EDULEDGER_TEST_BROKER_URL is set)."""

from __future__ import annotations

import codecs
import csv
import io
import os
import time
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select, update

from application.admissions.imports import (
    COLUMN_KEYS,
    FORM_IMPORT_TASK,
    IMPORT_COLUMNS,
    FormImports,
    get_import,
    list_imports,
    read_upload,
    template_csv,
)
from application.admissions.projection import application_forms
from application.audit.projection import audit_log
from application.common.context import correlation_id
from application.common.jobs import MAX_ATTEMPTS, JobBusy, JobPaused, bulk_job_items_view, bulk_jobs_view
from application.common.queries import Page
from domains.shared.errors import DomainError, NotFound
from infrastructure.jobs import Jobs, SqlJobState, bulk_job_items, bulk_jobs
from tests.support import applicant, make_id_number

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def csv_row(seq: int, programme: str = "P-ZSB-KJ", **overrides: Any) -> dict[str, str]:
    data = applicant(seq, **overrides)
    row = {col: str(data.get(key) or "") for col, key in COLUMN_KEYS.items()}
    row["培养方案代码"] = programme
    return row


def csv_bytes(rows: list[dict[str, str]], encoding: str = "utf-8", columns: list[str] = IMPORT_COLUMNS) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return buffer.getvalue().encode(encoding)


def mixed_file() -> bytes:
    """Row 2 good; 3 bad check digit; 4 missing 民族; 5 unknown programme; 6 duplicates row 2's
    ID number; 7 good, with the date as Excel writes it and the other programme."""
    return csv_bytes(
        [
            csv_row(1),
            csv_row(2, id_number="320102199003150012"),
            csv_row(3, ethnicity=""),
            csv_row(4, programme="NO-SUCH-CODE"),
            csv_row(5, id_number=make_id_number(seq=1)),
            csv_row(6, programme="P-GQZ-XZ", prior_graduation_date="2012/7/1"),
        ],
        encoding="utf-8-sig",
    )


def forms_count(container: Any) -> int:
    with container.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(application_forms)).scalar_one()


def read_job(container: Any, actor: Any, job_id: uuid.UUID) -> dict[str, Any]:
    with container.engine.connect() as conn:
        return get_import(conn, actor, job_id)


def wait_until_finished(container: Any, actor: Any, job_id: uuid.UUID, polls: int = 2000) -> dict[str, Any]:
    """Bounded polling; asserts on the outcome, never on how long it took."""
    job: dict[str, Any] = {}
    for _ in range(polls):
        job = read_job(container, actor, job_id)
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"the import did not finish: {job['status']}, {job['processed']}/{job['total']}")


def test_good_rows_become_forms_and_bad_rows_get_their_own_error(container, world):
    xuanwu = world.actor("xuanwu")
    job_id = container.form_imports.start(xuanwu, world.admission_batch, "报名表.csv", mixed_file())
    queued = read_job(container, xuanwu, job_id)
    assert (queued["status"], queued["status_label"], queued["total"], queued["processed"]) == ("queued", "排队中", 6, 0)

    container.form_imports.run(job_id)

    job = read_job(container, xuanwu, job_id)
    assert job["status"] == "done" and job["status_label"] == "已完成"
    assert (job["total"], job["processed"], job["succeeded"], job["failed"]) == (6, 6, 2, 4)
    assert job["filename"] == "报名表.csv" and job["finished_at"] is not None
    rows = {r["row"]: r for r in job["rows"]}
    assert [rows[n]["ok"] for n in range(2, 8)] == [True, False, False, False, False, True]
    assert rows[3]["code"] == "id_number.bad_check_digit"
    assert rows[4]["code"] == "field.required" and "民族" in rows[4]["message"]
    assert rows[5]["code"] == "import.programme_unknown"
    assert rows[6]["code"] == "import.duplicate_in_file" and "第2行" in rows[6]["message"]
    assert all(rows[n]["form_id"] is None for n in (3, 4, 5, 6))

    with container.engine.connect() as conn:
        forms = {
            r.id: r for r in conn.execute(select(application_forms).order_by(application_forms.c.name)).all()
        }
    assert set(forms) == {rows[2]["form_id"], rows[7]["form_id"]}
    assert {f.status for f in forms.values()} == {"preliminarily_approved"}
    assert {f.teaching_point_id for f in forms.values()} == {world.tp["101"]}
    assert forms[rows[7]["form_id"]].programme_id == world.programmes["administration"]


def test_events_of_an_import_carry_the_uploaders_metadata(container, world):
    xuanwu = world.actor("xuanwu")
    token = correlation_id.set("upload-request-0001")
    try:
        job_id = container.form_imports.start(xuanwu, world.admission_batch, "a.csv", csv_bytes([csv_row(1)]))
    finally:
        correlation_id.reset(token)
    correlation_id.set("some-other-context")  # the job restores the upload's own id
    container.form_imports.run(job_id)
    form_id = read_job(container, xuanwu, job_id)["rows"][0]["form_id"]
    with container.engine.connect() as conn:
        event = conn.execute(select(audit_log).where(audit_log.c.originator_id == form_id)).one()
    assert event.correlation_id == "upload-request-0001"
    assert event.actor_name == "xuanwu" and event.role == "teaching_point_admin"
    assert event.teaching_point_id == str(world.tp["101"])


def test_running_the_same_job_again_imports_nothing_twice(container, world):
    xuanwu = world.actor("xuanwu")
    imports = container.form_imports
    job_id = imports.start(xuanwu, world.admission_batch, "a.csv", mixed_file())
    imports.run(job_id)
    before = read_job(container, xuanwu, job_id)

    imports.run(job_id)  # a re-delivered message: the job is done, nothing happens
    assert read_job(container, xuanwu, job_id) == before
    assert forms_count(container) == 2

    # A runner that died after saving row 2's form but before recording its result: the row
    # was started and has no result; a re-run recognises the saved form instead of saving again.
    form_id = before["rows"][0]["form_id"]
    with container.engine.begin() as conn:
        conn.execute(
            update(bulk_job_items)
            .where(bulk_job_items.c.job_id == job_id, bulk_job_items.c.row == 2)
            .values(ok=None, code=None, message=None, record_id=None)
        )
        conn.execute(
            update(bulk_jobs)
            .where(bulk_jobs.c.id == job_id)
            .values(status="queued", processed=5, succeeded=1, finished_at=None, content=mixed_file())
        )
    imports.run(job_id)
    after = read_job(container, xuanwu, job_id)
    assert (after["status"], after["processed"], after["succeeded"], after["failed"]) == ("done", 6, 2, 4)
    assert after["rows"][0] == before["rows"][0] and after["rows"][0]["form_id"] == form_id
    assert forms_count(container) == 2


def test_a_job_held_by_a_live_runner_is_not_run_by_a_second_one(container, world):
    xuanwu = world.actor("xuanwu")
    state = SqlJobState(container.engine)
    job_id = container.form_imports.start(xuanwu, world.admission_batch, "a.csv", csv_bytes([csv_row(1)]))
    assert state.claim(job_id, lease_seconds=300).outcome == "claimed"
    with pytest.raises(JobBusy):
        container.form_imports.run(job_id)
    assert forms_count(container) == 0
    assert state.claim(job_id, lease_seconds=300).outcome == "busy"
    assert state.claim(uuid.uuid4(), lease_seconds=300).outcome == "missing"


def test_an_import_interrupted_too_often_is_given_up(container, world):
    xuanwu = world.actor("xuanwu")
    job_id = container.form_imports.start(xuanwu, world.admission_batch, "a.csv", csv_bytes([csv_row(1)]))
    with container.engine.begin() as conn:
        conn.execute(update(bulk_jobs).where(bulk_jobs.c.id == job_id).values(attempts=MAX_ATTEMPTS))
    container.form_imports.run(job_id)
    job = read_job(container, xuanwu, job_id)
    assert job["status"] == "failed" and job["status_label"] == "失败" and job["error"]
    assert forms_count(container) == 0


class PausingQueue:
    """A queue whose worker is shutting down."""

    def __init__(self) -> None:
        self.sent: list[uuid.UUID] = []

    def enqueue(self, task: str, job_id: uuid.UUID, actor: Any) -> None:
        self.sent.append(job_id)

    def stopping(self) -> bool:
        return True


def test_a_worker_shutting_down_pauses_the_job_and_it_resumes_later(container, world):
    xuanwu = world.actor("xuanwu")
    queue = PausingQueue()
    state = SqlJobState(container.engine)
    pausing = FormImports(container.admissions, queue, state, container.engine.connect, container.clock)
    job_id = pausing.start(xuanwu, world.admission_batch, "a.csv", csv_bytes([csv_row(1), csv_row(2)]))
    with pytest.raises(JobPaused):
        pausing.run(job_id)
    assert read_job(container, xuanwu, job_id)["status"] == "queued"
    assert pausing.resume() == 1 and queue.sent == [job_id, job_id]
    container.form_imports.run(job_id)
    assert read_job(container, xuanwu, job_id)["succeeded"] == 2


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (PNG, "import.not_csv"),
        (b"PK\x03\x04" + b"\x00" * 40, "import.not_csv"),
        (b"\x00\x01\x02binary\x03" * 10, "import.not_text"),
        ("姓名,身份证号码\n张三,1\n".encode("utf-16"), "import.unsupported_encoding"),
        (b"", "import.empty_file"),
        (b"name,id,phone\na,b,c\n", "import.header_invalid"),
        (csv_bytes([csv_row(1)], columns=[c for c in IMPORT_COLUMNS if c != "身份证号码"]), "import.header_invalid"),
        (csv_bytes([]), "import.no_rows"),
        (csv_bytes([csv_row(i) for i in range(5001)]), "import.too_many_rows"),
        (b"a" * (5 * 1024 * 1024 + 1), "import.too_large"),
    ],
    ids=[
        "png", "xlsx", "binary", "utf16", "empty", "wrong-header", "missing-column", "header-only", "5001-rows", "5MB+1"
    ],
)
def test_an_unusable_file_is_refused_at_once_and_nothing_is_queued(container, world, content, code):
    xuanwu = world.actor("xuanwu")
    with pytest.raises(DomainError) as refused:
        container.form_imports.start(xuanwu, world.admission_batch, "forms.csv", content)
    assert refused.value.code == code and refused.value.kind == "invalid"
    assert refused.value.message  # a Chinese message for people
    with container.engine.connect() as conn:
        assert list_imports(conn, xuanwu, Page()).total == 0
    assert container.form_imports.resume() == 0
    assert forms_count(container) == 0


def test_gb18030_and_utf8_with_or_without_bom_read_the_same():
    rows = [csv_row(1, name="欧阳娜娜", address="南京市鼓楼区中山北路")]
    readings = [read_upload(csv_bytes(rows, enc)) for enc in ("utf-8", "utf-8-sig", "gb18030")]
    assert readings[0] == readings[1] == readings[2]
    assert readings[0].rows[0].cells["姓名"] == "欧阳娜娜" and readings[0].rows[0].number == 2


def test_the_template_has_every_column_and_its_example_row_is_never_imported(container, world):
    content = template_csv()
    assert content.startswith(codecs.BOM_UTF8)
    upload = read_upload(content)
    assert upload.columns == IMPORT_COLUMNS and len(upload.rows) == 1
    xuanwu = world.actor("xuanwu")
    job_id = container.form_imports.start(xuanwu, world.admission_batch, "模板.csv", content)
    container.form_imports.run(job_id)
    rows = read_job(container, xuanwu, job_id)["rows"]
    assert [(r["row"], r["ok"], r["code"]) for r in rows] == [(2, False, "import.example_row")]


def test_only_teaching_point_administrators_import_into_an_existing_batch(container, world):
    content = csv_bytes([csv_row(1)])
    with pytest.raises(DomainError) as refused:
        container.form_imports.start(world.actor("jiaowu"), world.admission_batch, "a.csv", content)
    assert refused.value.kind == "forbidden"
    with pytest.raises(DomainError) as unknown:
        container.form_imports.start(world.actor("xuanwu"), uuid.uuid4(), "a.csv", content)
    assert unknown.value.code == "import.admission_batch_unknown"


def test_another_teaching_point_cannot_see_the_job_and_the_school_sees_all(container, world):
    xuanwu, gulou, jiaowu = world.actor("xuanwu"), world.actor("gulou"), world.actor("jiaowu")
    job_id = container.form_imports.start(xuanwu, world.admission_batch, "a.csv", csv_bytes([csv_row(1)]))
    with pytest.raises(NotFound):
        read_job(container, gulou, job_id)
    with container.engine.connect() as conn:
        assert list_imports(conn, gulou, Page()).total == 0
        mine = list_imports(conn, xuanwu, Page())
        school = list_imports(conn, jiaowu, Page())
    assert mine.total == 1 and school.total == 1
    item = mine.items[0]
    assert item["id"] == job_id and item["teaching_point_name"] == "玄武学习中心" and item["status_label"] == "排队中"
    assert read_job(container, jiaowu, job_id)["id"] == job_id


def test_the_read_side_views_match_the_platform_tables():
    for view, tbl in ((bulk_jobs_view, bulk_jobs), (bulk_job_items_view, bulk_job_items)):
        for col in view.c:
            assert col.name in tbl.c, col.name
            assert isinstance(col.type, type(tbl.c[col.name].type)), col.name


def test_the_in_process_worker_runs_the_import(container, world):
    xuanwu = world.actor("xuanwu")
    assert container.jobs.in_process
    container.jobs.start_worker()
    try:
        job_id = container.form_imports.start(xuanwu, world.admission_batch, "a.csv", mixed_file())
        job = wait_until_finished(container, xuanwu, job_id)
    finally:
        container.jobs.stop_worker()
    assert (job["status"], job["succeeded"], job["failed"]) == ("done", 2, 4)
    assert forms_count(container) == 2


def drop_broker_queues(jobs: Jobs) -> None:
    """Leave nothing of the test's queues behind on a shared Redis or RabbitMQ server."""
    broker: Any = jobs.broker
    if hasattr(broker, "client"):  # Redis: every key lives under the namespace
        keys = broker.client.keys(f"{jobs.queue_name}:*")
        if keys:
            broker.client.delete(*keys)
    elif hasattr(broker, "channel"):  # RabbitMQ: the queue and its delay and dead-letter queues
        for name in (jobs.queue_name, f"{jobs.queue_name}.DQ", f"{jobs.queue_name}.XQ"):
            broker.channel.queue_delete(name)


def test_the_import_runs_through_the_configured_broker(container, world):
    """With EDULEDGER_TEST_BROKER_URL (CI sets a Redis URL) the job travels through that broker
    to a dramatiq worker; without it, through the StubBroker. Never skipped."""
    url = os.environ.get("EDULEDGER_TEST_BROKER_URL") or None
    jobs = Jobs(url, namespace=f"eduledger-test-{uuid.uuid4().hex[:12]}", worker_threads=1)
    imports = FormImports(
        container.admissions, jobs, SqlJobState(container.engine), container.engine.connect, container.clock
    )
    jobs.register(FORM_IMPORT_TASK, imports.run, resume=imports.resume)
    assert jobs.in_process is (url is None)
    xuanwu = world.actor("xuanwu")
    jobs.start_worker()
    token = correlation_id.set("broker-test-0001")
    try:
        job_id = imports.start(xuanwu, world.admission_batch, "a.csv", mixed_file())
        imports.start(xuanwu, world.admission_batch, "a.csv", mixed_file())  # the same file again
        job = wait_until_finished(container, xuanwu, job_id)
        with container.engine.connect() as conn:
            others = list_imports(conn, xuanwu, Page()).items
        for other in others:
            wait_until_finished(container, xuanwu, other["id"])
    finally:
        correlation_id.reset(token)
        jobs.stop_worker()
        drop_broker_queues(jobs)
        jobs.close()
    assert (job["status"], job["succeeded"], job["failed"]) == ("done", 2, 4)
    second = read_job(container, xuanwu, next(o["id"] for o in others if o["id"] != job_id))
    # The second upload of the same people: every good row is now a duplicate of a form.
    assert second["succeeded"] == 0 and forms_count(container) == 2
    with container.engine.connect() as conn:
        correlations = set(
            conn.execute(
                select(audit_log.c.correlation_id).where(audit_log.c.aggregate_type == "ApplicationForm")
            ).scalars()
        )
    assert correlations == {"broker-test-0001"}
