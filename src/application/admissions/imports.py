"""Bulk import of application forms from a CSV file (requirements/admissions.md).

A teaching-point administrator uploads a CSV (UTF-8 with or without BOM, or GB18030 as Excel
in China saves it) whose first row holds the Chinese column names of `IMPORT_COLUMNS`, and
chooses the admission batch. `FormImports.start` checks the upload by its content at once
(text, a CSV, the required header, at most 5,000 rows and 5 MB) and refuses anything else with
a code and a Chinese message, enqueuing nothing. Otherwise it records a job and enqueues it;
`FormImports.run` (the job body, in a background worker) sends every row through the real use
case `Admissions.enter_form`, so an imported form obeys exactly the rules of one entered by
hand, and records one result per row. One bad row never blocks the rest.

Runs are idempotent: a job is claimed atomically (a re-delivered message finds it running or
finished and does nothing), a row that already has a result is never imported again, and a
row whose run was cut short between saving the form and recording its result is recognised
by the claim on (admission batch, ID number) that the form saved with it.

The job state and the row results live in platform tables the infrastructure owns; the read
functions below query them through lightweight table views (names and types only).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import uuid
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

import structlog
from sqlalchemy import Connection, select

from application.admissions.projection import admission_batches
from application.admissions.queries import STAFF_READERS
from application.admissions.service import PROGRAMME_CODES, Admissions
from application.common.actor import Actor
from application.common.context import current_correlation_id
from application.common.jobs import (
    BulkJob,
    BulkJobService,
    ItemResult,
    JobQueue,
    JobRunner,
    JobState,
    JobStatus,
    bulk_job_items_view,
    bulk_jobs_view,
    item_outcome,
)
from application.common.loading import load
from application.common.ports import Clock, EventStore
from application.common.queries import Page, PageOf, paged
from application.organisation.projection import teaching_points
from domains.admissions.batches import AdmissionBatch, TrainingProgramme
from domains.organisation.teaching_point import TeachingPoint
from domains.shared.aggregate import RecordIndex, key_id
from domains.shared.errors import DomainError, InvalidInput, NotFound
from domains.shared.values import ChineseIdNumber, Role

log = structlog.get_logger(__name__)

FORM_IMPORT_TASK = "admissions.form_import"
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000

# Column name in the file -> key of the applicant dict `Admissions.enter_form` takes.
COLUMN_KEYS: dict[str, str] = {
    "姓名": "name",
    "身份证号码": "id_number",
    "民族": "ethnicity",
    "手机号码": "mobile",
    "邮箱": "email",
    "通讯地址": "address",
    "工作单位": "occupation",
    "最高学历层次": "prior_level",
    "毕业学校": "prior_school",
    "原专业": "prior_major",
    "毕业日期": "prior_graduation_date",
    "毕业证书编号": "prior_certificate_number",
    "原学历姓名": "original_name",
    "原学历证件号码": "original_id_number",
    "培养方案代码": "programme_code",
}
IMPORT_COLUMNS: list[str] = list(COLUMN_KEYS)
# Columns whose cells may be blank; the template has them all, a file may leave these out.
OPTIONAL_COLUMNS = frozenset({"邮箱", "工作单位", "原专业", "原学历姓名", "原学历证件号码"})
REQUIRED_COLUMNS = [c for c in IMPORT_COLUMNS if c not in OPTIONAL_COLUMNS]

# The template's example row: a valid-looking ID number the import recognises and refuses.
EXAMPLE_ID_NUMBER = "110101199001011237"
EXAMPLE_ROW: dict[str, str] = {
    "姓名": "张三",
    "身份证号码": EXAMPLE_ID_NUMBER,
    "民族": "汉族",
    "手机号码": "13800000000",
    "邮箱": "zhangsan@example.com",
    "通讯地址": "江苏省南京市玄武区北京东路41号",
    "工作单位": "南京某某科技有限公司",
    "最高学历层次": "大专",
    "毕业学校": "南京城市职业学院",
    "原专业": "会计",
    "毕业日期": "2015-07-01",
    "毕业证书编号": "123451201506000001",
    "原学历姓名": "",
    "原学历证件号码": "",
    "培养方案代码": "P-ZSB-KJ",
}


STATUS_LABELS = {
    JobStatus.QUEUED: "排队中",
    JobStatus.RUNNING: "导入中",
    JobStatus.DONE: "已完成",
    JobStatus.FAILED: "失败",
}


# -- reading the upload -----------------------------------------------------------------------


@dataclass
class CsvRow:
    number: int  # the row number in the spreadsheet: the header is row 1
    cells: dict[str, str]
    overflow: bool = False  # more non-empty cells than the header has columns


@dataclass
class Upload:
    columns: list[str]
    rows: list[CsvRow] = field(default_factory=list)


_BINARY_SIGNATURES: list[tuple[bytes, str]] = [
    (b"PK\x03\x04", "这是 Excel 工作簿（.xlsx）或压缩文件，不是 CSV。请在 Excel 中选择“另存为”→“CSV UTF-8（逗号分隔）”后上传"),
    (b"\xd0\xcf\x11\xe0", "这是旧版 Excel 工作簿（.xls），不是 CSV。请在 Excel 中选择“另存为”→“CSV（逗号分隔）”后上传"),
    (b"\x89PNG", "这是 PNG 图片，不是 CSV 文件"),
    (b"\xff\xd8\xff", "这是 JPEG 图片，不是 CSV 文件"),
    (b"GIF8", "这是 GIF 图片，不是 CSV 文件"),
    (b"%PDF", "这是 PDF 文件，不是 CSV 文件"),
]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACE = " \t\r\n\u3000\u00a0\u200b\ufeff"


def _refuse(code: str, message: str) -> InvalidInput:
    return InvalidInput(code, message, field="file")


def _decode(content: bytes) -> str:
    for signature, message in _BINARY_SIGNATURES:
        if content.startswith(signature):
            raise _refuse("import.not_csv", message)
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _refuse(
            "import.unsupported_encoding",
            "文件为 UTF-16 编码（Excel“Unicode 文本”），请另存为“CSV UTF-8（逗号分隔）”后上传",
        )
    text: str | None = None
    if content.startswith(codecs.BOM_UTF8):
        try:
            text = content[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError:
            text = None
    else:
        for encoding in ("utf-8", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if text is None or _CONTROL.search(text):
        raise _refuse(
            "import.not_text",
            "文件不是可识别的文本文件，请上传 UTF-8 或 GB18030（Excel 默认）编码的 CSV 文件",
        )
    return text


def _clean_header(cell: str) -> str:
    return cell.strip(_SPACE).strip("*＊").strip(_SPACE)


def _clean_cell(cell: str) -> str:
    text = cell.strip(_SPACE)
    # ="0123..." is how spreadsheets are told to keep long numbers as text; a leading ' too.
    if text.startswith('="') and text.endswith('"') and len(text) >= 3:
        text = text[2:-1]
    if text.startswith("'"):
        text = text[1:]
    return text.strip(_SPACE)


def read_upload(content: bytes) -> Upload:
    """Check an upload by its content and split it into rows; refuses with InvalidInput."""
    if not content:
        raise _refuse("import.empty_file", "上传的文件是空的")
    if len(content) > MAX_BYTES:
        raise _refuse(
            "import.too_large", f"文件不能超过5MB（当前约{len(content) / 1024 / 1024:.1f}MB），请分成几个文件导入"
        )
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header_cells = next(reader, None)
        if not header_cells or not any(c.strip(_SPACE) for c in header_cells):
            raise _refuse("import.header_invalid", "第1行须为表头（列名），请使用导入模板")
        columns = [_clean_header(c) for c in header_cells]
        known = [c for c in columns if c in COLUMN_KEYS]
        if not known:
            raise _refuse(
                "import.header_invalid",
                "第1行不是报名表导入的表头（应为“姓名,身份证号码,民族,……”），请使用导入模板",
            )
        duplicated = sorted({c for c in known if known.count(c) > 1}, key=IMPORT_COLUMNS.index)
        if duplicated:
            raise _refuse("import.header_invalid", f"表头中以下列重复：{'、'.join(duplicated)}")
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise _refuse("import.header_invalid", f"表头缺少必需的列：{'、'.join(missing)}（请使用导入模板）")
        index = {c: i for i, c in enumerate(columns) if c in COLUMN_KEYS}
        upload = Upload(columns=known)
        for number, record in enumerate(reader, start=2):
            if not any(c.strip(_SPACE) for c in record):
                continue  # blank lines, and the ",,,," rows spreadsheets leave behind
            if len(upload.rows) >= MAX_ROWS:
                raise _refuse("import.too_many_rows", f"一个文件最多导入{MAX_ROWS}行，请分成几个文件导入")
            cells = {c: _clean_cell(record[i]) if i < len(record) else "" for c, i in index.items()}
            overflow = any(c.strip(_SPACE) for c in record[len(columns) :])
            upload.rows.append(CsvRow(number, cells, overflow))
    except csv.Error:
        raise _refuse("import.not_csv", "文件不是有效的 CSV 格式（逗号分隔），请在 Excel 中另存为 CSV 后上传") from None
    if not upload.rows:
        raise _refuse("import.no_rows", "文件中只有表头，没有需要导入的数据行")
    return upload


def import_template(actor: Actor) -> bytes:
    """The template for the staff who import forms (the training platform's people and
    learners have no use for it)."""
    actor.require(*STAFF_READERS)
    return template_csv()


def template_csv() -> bytes:
    """The import template: the header and one example row, UTF-8 with BOM so that Excel
    shows the Chinese column names correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(IMPORT_COLUMNS)
    writer.writerow([EXAMPLE_ROW[c] for c in IMPORT_COLUMNS])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


FAILURE_COLUMN = "未导入原因"


def failed_rows_csv(upload: Upload, failed: dict[int, str]) -> bytes:
    """The failed rows with their own columns and the reason each was refused, in the template's
    format: correct them and import the file again (the reason column is ignored on import)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([*upload.columns, FAILURE_COLUMN])
    for row in upload.rows:
        if row.number in failed:
            writer.writerow([*(row.cells.get(c, "") for c in upload.columns), f"第{row.number}行：{failed[row.number]}"])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


# -- shaping one row --------------------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SCIENTIFIC = re.compile(r"^\d+(?:\.\d+)?[eE]\+?\d+$")
_NUMBER_COLUMNS = ("身份证号码", "原学历证件号码", "手机号码", "毕业证书编号")


def _normal_date(text: str) -> str:
    """Spreadsheets write 2015/7/1, 2015.7.1, 2015年7月1日 or 20150701: all mean 2015-07-01."""
    m = _DATE.match(text) or _COMPACT_DATE.match(text)
    if not m:
        return text
    year, month, day = m.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _applicant(row: CsvRow) -> dict[str, Any]:
    for col in _NUMBER_COLUMNS:
        if _SCIENTIFIC.match(row.cells.get(col, "")):
            raise InvalidInput(
                "import.number_mangled",
                f"{col}被 Excel 转成了科学计数法（如 3.20102E+17），请把该列设为“文本”格式、重新填写后再导出",
                field=COLUMN_KEYS[col],
            )
    data = {COLUMN_KEYS[c]: v for c, v in row.cells.items() if c != "培养方案代码"}
    if data.get("prior_graduation_date"):
        data["prior_graduation_date"] = _normal_date(data["prior_graduation_date"])
    return data


def _id_key(raw: str) -> str | None:
    """The ID number as the form would store it, or None if it is not a valid one."""
    try:
        return ChineseIdNumber.parse(raw).value
    except DomainError:
        return None


class _Programmes:
    """The upload's programme codes, resolved for one teaching point from the programmes' code
    index in the event store: a programme registered a moment ago is found even while the read
    models lag behind (ADR 0016)."""

    def __init__(self, store: EventStore, teaching_point_id: uuid.UUID | None, codes: Iterable[str]) -> None:
        keys = list(dict.fromkeys(c.strip().upper() for c in codes if c.strip()))
        indexes = store.find_many([RecordIndex.create_id(PROGRAMME_CODES, k) for k in keys])
        listed = {k: getattr(indexes.get(RecordIndex.create_id(PROGRAMME_CODES, k)), "ids", []) for k in keys}
        found = store.find_many([pid for ids in listed.values() for pid in ids])
        self.by_code: dict[str, list[tuple[uuid.UUID, bool]]] = {
            k: [
                (pid, teaching_point_id in found[pid].teaching_point_ids)
                for pid in ids if isinstance(found.get(pid), TrainingProgramme)
            ]
            for k, ids in listed.items()
        }

    def resolve(self, code: str) -> uuid.UUID:
        if not code:
            raise InvalidInput("field.required", "培养方案代码为必填项", field="programme_code")
        candidates = self.by_code.get(code.strip().upper(), [])
        if not candidates:
            raise InvalidInput("import.programme_unknown", f"培养方案代码“{code}”不存在", field="programme_code")
        if len(candidates) > 1:
            candidates = [c for c in candidates if c[1]] or candidates
        if len(candidates) > 1:
            raise InvalidInput(
                "import.programme_ambiguous", f"培养方案代码“{code}”对应多个培养方案，请联系教务处理", field="programme_code"
            )
        return candidates[0][0]


# -- the use case -----------------------------------------------------------------------------


class FormImports(BulkJobService):
    def __init__(
        self,
        admissions: Admissions,
        queue: JobQueue,
        state: JobState,
        connect: Callable[[], AbstractContextManager[Connection]],
        clock: Clock | None = None,
    ) -> None:
        self.admissions = admissions
        self.store = admissions.store
        self.state = state
        self.connect = connect
        self.clock = clock or admissions.clock
        self.jobs = JobRunner(FORM_IMPORT_TASK, "application_forms", queue, state, self.clock)

    def start(self, actor: Actor, admission_batch_id: uuid.UUID, filename: str, content: bytes) -> uuid.UUID:
        """Check the upload and enqueue its import; returns the job id."""
        actor.require(Role.TEACHING_POINT_ADMIN)
        if actor.teaching_point_id is None:
            raise InvalidInput("teaching_point.required", "只有教学点的管理员可以导入报名表")
        upload = read_upload(content)
        try:
            batch = load(self.store, admission_batch_id, AdmissionBatch, "招生批次")
        except NotFound:
            raise InvalidInput(
                "import.admission_batch_unknown", "所选招生批次不存在", field="admission_batch_id"
            ) from None
        batch.check_open(self.clock.today())
        load(self.store, actor.teaching_point_id, TeachingPoint, "教学点").check_can_admit()
        job = BulkJob(
            id=uuid.uuid4(),
            kind=self.jobs.kind,
            filename=_safe_filename(filename),
            admission_batch_id=admission_batch_id,
            teaching_point_id=actor.teaching_point_id,
            actor=actor,
            correlation_id=current_correlation_id(),
            total=len(upload.rows),
            created_at=self.clock.now(),
            content=content,
        )
        return self.jobs.start(job, "文件未导入")

    # -- the job body ---------------------------------------------------------------------

    def _run(self, job: BulkJob, token: str) -> bool:
        """Import every row not yet done; False if the job had to be failed instead."""
        try:
            upload = read_upload(job.content or b"")
        except InvalidInput as exc:  # checked at upload; only a changed rule gets here
            log.warning("import.unreadable", code=exc.code)
            self.state.finish(job.id, token, JobStatus.FAILED, self.clock.now(), exc.message)
            return False
        catalogue = _Programmes(self.store, job.teaching_point_id, (r.cells.get("培养方案代码", "") for r in upload.rows))
        rows = {row.number: row for row in upload.rows}
        id_keys = {n: _id_key(row.cells.get("身份证号码", "")) for n, row in rows.items()}
        first_row: dict[str, int] = {}
        for n, id_key in id_keys.items():
            if id_key:
                first_row.setdefault(id_key, n)

        def process(numbers: list[int]) -> list[ItemResult]:
            return [
                item_outcome(
                    n, lambda n=n: self._import_row(job, rows[n], catalogue, id_keys[n], first_row.get(id_keys[n] or "", n)),
                    "import.row_error", "该行处理时发生系统错误，请稍后单独录入或联系管理员",
                )
                for n in numbers
            ]

        self.jobs.each_item(job, token, rows, process, lambda n: self._recovered(job, rows[n], id_keys[n]))
        self._keep_failed_rows(job, token, upload)
        return True

    def failed_rows(self, conn: Connection, actor: Actor, job_id: uuid.UUID) -> bytes | None:
        """The failed-rows file of an import the actor may see; None when every row was imported."""
        get_import(conn, actor, job_id)
        kept = self.state.output(job_id)
        return kept[1] if kept else None

    def _keep_failed_rows(self, job: BulkJob, token: str, upload: Upload) -> None:
        """The rows that were not imported, as a file to correct and import again (the upload
        itself is dropped when the job ends)."""
        r = bulk_job_items_view.c
        with self.connect() as conn:
            failed = dict(
                conn.execute(select(r.row, r.message).where(r.job_id == job.id, r.ok.is_(False))).tuples().all()
            )
        if failed:
            self.state.keep_output(job.id, token, "text/csv; charset=utf-8", failed_rows_csv(upload, failed))

    def _recovered(self, job: BulkJob, row: CsvRow, id_key: str | None) -> ItemResult | None:
        """A row whose run was cut short: if its form was saved, report it, never save again."""
        if id_key is None:
            return None
        claim = self.store.find(key_id("application_id_number", f"{job.admission_batch_id}:{id_key}"))
        form = self.store.find(claim.owner_id) if claim is not None else None
        if (
            form is not None
            and form.teaching_point_id == job.teaching_point_id
            and form.admission_batch_id == job.admission_batch_id
            and (form.applicant or {}).get("id_number") == id_key
        ):
            return ItemResult(row.number, True, record_id=form.id)
        return None

    def _import_row(
        self, job: BulkJob, row: CsvRow, catalogue: _Programmes, id_key: str | None, first: int
    ) -> ItemResult:
        if row.overflow:
            raise InvalidInput(
                "import.row_malformed", "该行的列数多于表头，可能是某个单元格中含有未加引号的英文逗号"
            )
        if id_key == EXAMPLE_ID_NUMBER:
            raise InvalidInput("import.example_row", "这是导入模板中的示例行，请删除后再导入")
        if first != row.number:
            raise InvalidInput("import.duplicate_in_file", f"身份证号码与第{first}行重复，同一文件中每人只能出现一次")
        applicant = _applicant(row)
        programme_id = catalogue.resolve(row.cells.get("培养方案代码", ""))
        form_id = self.admissions.enter_form(
            job.actor, admission_batch_id=job.admission_batch_id, programme_id=programme_id, applicant=applicant
        )
        return ItemResult(row.number, True, record_id=form_id)


def _safe_filename(name: str | None) -> str:
    base = re.split(r"[\\/]", name or "")[-1]
    base = _CONTROL.sub("", base).strip(_SPACE)
    return base[:200] or "未命名.csv"


# -- read side --------------------------------------------------------------------------------
_J = bulk_jobs_view.c


def _job_query() -> Any:
    return select(
        _J.id,
        _J.status,
        _J.filename,
        _J.admission_batch_id,
        admission_batches.c.name.label("admission_batch_name"),
        _J.teaching_point_id,
        teaching_points.c.name.label("teaching_point_name"),
        _J.actor_username,
        _J.actor_name,
        _J.total,
        _J.processed,
        _J.succeeded,
        _J.failed,
        _J.error,
        _J.created_at,
        _J.started_at,
        _J.finished_at,
    ).select_from(
        bulk_jobs_view.outerjoin(teaching_points, teaching_points.c.id == _J.teaching_point_id).outerjoin(
            admission_batches, admission_batches.c.id == _J.admission_batch_id
        )
    )


def _shape_job(row: dict[str, Any]) -> dict[str, Any]:
    row["status_label"] = STATUS_LABELS.get(row["status"], row["status"])
    return row


def get_import(conn: Connection, actor: Actor, job_id: uuid.UUID) -> dict[str, Any]:
    """One import with its progress and the result of every row done so far."""
    actor.require(*STAFF_READERS)
    row = conn.execute(_job_query().where(_J.id == job_id, _J.kind == "application_forms")).mappings().first()
    if row is None or not actor.can_see_teaching_point(row["teaching_point_id"]):
        raise NotFound("not_found", "导入任务不存在或不属于您的教学点")
    job = _shape_job(dict(row))
    r = bulk_job_items_view.c
    job["rows"] = [
        dict(x)
        for x in conn.execute(
            select(r.row, r.ok, r.code, r.message, r.record_id.label("form_id"))
            .where(r.job_id == job_id, r.ok.is_not(None))
            .order_by(r.row)
        ).mappings()
    ]
    return job


def list_imports(conn: Connection, actor: Actor, page: Page) -> PageOf:
    """Imports newest first: a teaching point sees its own, school staff all."""
    actor.require(*STAFF_READERS)
    query = _job_query().where(_J.kind == "application_forms")
    scope = actor.visible_teaching_point()
    if scope is not None:
        query = query.where(_J.teaching_point_id == scope)
    result = paged(conn, query, page, [_J.created_at.desc(), _J.id])
    result.items = [_shape_job(r) for r in result.items]
    return result
