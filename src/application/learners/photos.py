"""Use cases of learner photos (电子照片, requirements/learners.md §3): a teaching point uploads one photo for
one of its learners or a ZIP of many (each named `<证件号码>.JPG`), deletes the latest photo, and
exports the photos of a roster query as a ZIP named by ID number or by student number.

Every photo is checked against the spec by its content (`domains.learners.photo`), stored in the
file store by its digest, and recorded on the learner's `LearnerPhotos`. A ZIP is checked as a
whole first — a real ZIP, no unsafe paths, no encryption, within the size limits, every entry
readable — and refused entirely otherwise; then each photo gets its own verdict and the ones that
pass are kept. The photos of a ZIP are imported by a background job (`application.common.jobs`)
with progress, `IMPORT_CHUNK` photos per atomic write; an archive holds at most `ZIP_MAX_PHOTOS`
photos and `ZIP_MAX_BYTES`. An export is a background job too: one item per learner of the
query (a learner without a photo is listed as not exported), the ZIP kept for the user who
started it.
"""

from __future__ import annotations

import io
import posixpath
import uuid
import zipfile
import zlib
from collections.abc import Callable

import msgspec
from sqlalchemy import Connection

from application.common.actor import Actor
from application.common.context import current_correlation_id
from application.common.filters import RosterFilter
from application.common.jobs import (
    BulkJob,
    BulkJobService,
    ItemResult,
    JobQueue,
    JobRunner,
    JobState,
    JobStatus,
)
from application.common.ports import Clock, EventStore, FileStore
from application.common.recording import recording
from application.enrolment.service import learner_for
from application.learners.numbers import learners_by_id_number
from application.learners.photo_projection import (
    EXPORT_STARTERS,
    current_photo_ref,
    export_photos,
    export_roster,
    get_photo_export,
)
from domains.learners.photo import (
    MAX_BYTES,
    LearnerPhotos,
    PhotoFacts,
    PhotoRefused,
    PhotoVerdict,
    check_photo,
    id_number_in,
)
from domains.shared.errors import DomainError, InvalidInput, NotFound
from domains.shared.values import Role

PhotoInspector = Callable[[bytes], PhotoFacts]

JPEG = frozenset({"image/jpeg"})
ZIP_MAX_BYTES = 20 * 1024 * 1024  # the uploaded archive
ZIP_MAX_PHOTOS = 500  # photos in one archive (imported synchronously)
ZIP_MAX_UNCOMPRESSED = 50 * 1024 * 1024  # all entries unpacked together: a zip bomb stops here
ENTRY_MAX_BYTES = 2 * 1024 * 1024  # one unpacked entry (a photo is at most 40 KB)
IMPORT_CHUNK = 50  # photos per atomic write
EXPORT_MAX_LEARNERS = 2000  # learners of one export (a photo is at most 40 KB: 80 MB at most)
EXPORT_CHUNK = 100  # photos packed between two progress records
PHOTO_IMPORT_TASK = "learners.photo_import"
PHOTO_EXPORT_TASK = "learners.photo_export"
IMPORT_KIND = "learner_photos"
EXPORT_KIND = "learner_photo_exports"
NAMINGS = {"id_number": "按身份证号码命名", "student_number": "按学号命名"}
NAMING_FIELDS = {"id_number": "身份证号码", "student_number": "学号"}


class ExportInput(msgspec.Struct):
    """What an export job packs: the naming and the learners the query found, in order."""

    naming: str
    learner_ids: list[uuid.UUID]




def export_title(naming: str) -> str:
    return f"电子照片（{NAMINGS[naming]}）.zip"


def _bad_archive(message: str) -> InvalidInput:
    return InvalidInput("photo.zip_invalid", f"{message}，整个压缩包未导入", field="file")


def _unsafe(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":")


def _ignored(name: str) -> bool:
    """Directories and the clutter archivers add (macOS resource forks, hidden files)."""
    base = posixpath.basename(name.replace("\\", "/"))
    return name.endswith(("/", "\\")) or name.startswith("__MACOSX/") or not base or base.startswith(".")


def unpack(content: bytes) -> list[tuple[str, bytes]]:
    """The photos in a ZIP as (entry name, bytes); the whole archive is refused when it is not a
    readable ZIP, holds an unsafe path or an encrypted entry, or exceeds the limits."""
    if len(content) > ZIP_MAX_BYTES:
        raise _bad_archive(f"压缩包不能超过 {ZIP_MAX_BYTES // (1024 * 1024)} MB")
    if not content.startswith(b"PK"):
        raise _bad_archive("文件不是 ZIP 压缩包（按文件内容识别）")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise _bad_archive("压缩包已损坏，无法读取") from None
    for info in infos:
        if _unsafe(info.filename):
            raise _bad_archive(f"压缩包中含有不安全的文件路径“{info.filename[:80]}”")
        if info.flag_bits & 0x1:
            raise _bad_archive("压缩包已加密，请去掉密码后再上传")
    entries = [info for info in infos if not _ignored(info.filename)]
    if not entries:
        raise _bad_archive("压缩包中没有照片")
    if len(entries) > ZIP_MAX_PHOTOS:
        raise _bad_archive(f"一个压缩包最多 {ZIP_MAX_PHOTOS} 张照片，请分批上传")
    if sum(info.file_size for info in entries) > ZIP_MAX_UNCOMPRESSED:
        raise _bad_archive(f"压缩包解压后超过 {ZIP_MAX_UNCOMPRESSED // (1024 * 1024)} MB")
    photos: list[tuple[str, bytes]] = []
    unpacked = 0
    try:
        for info in entries:
            with archive.open(info) as entry:
                data = entry.read(ENTRY_MAX_BYTES + 1)
            unpacked += len(data)
            if len(data) > ENTRY_MAX_BYTES or unpacked > ZIP_MAX_UNCOMPRESSED:
                raise _bad_archive(f"压缩包中的“{info.filename[:80]}”解压后过大")
            photos.append((info.filename, data))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
        raise _bad_archive("压缩包已损坏，无法读取") from None
    return photos


class LearnerPhotoService(BulkJobService):
    def __init__(
        self,
        store: EventStore,
        clock: Clock,
        files: FileStore,
        read: Callable[[], Connection],
        inspect: PhotoInspector,
        queue: JobQueue,
        state: JobState,
    ) -> None:
        self.store = store
        self.clock = clock
        self.files = files
        self.read = read
        self.inspect = inspect
        self.jobs = JobRunner(PHOTO_IMPORT_TASK, IMPORT_KIND, queue, state, clock)
        self.exports = JobRunner(PHOTO_EXPORT_TASK, EXPORT_KIND, queue, state, clock)

    def _album(self, learner_id: uuid.UUID) -> LearnerPhotos:
        found = self.store.find(LearnerPhotos.create_id(learner_id))
        return found if isinstance(found, LearnerPhotos) else LearnerPhotos.start(learner_id)

    def _add(self, album: LearnerPhotos, verdict: PhotoVerdict, facts: PhotoFacts, content: bytes) -> None:
        if verdict.ok:
            ref, _ = self.files.put(content, JPEG, MAX_BYTES, f"电子照片“{verdict.file_name[:60]}”")
        else:
            ref = ""
        album.upload(verdict, facts, ref, self.clock.now())

    # -- one photo ------------------------------------------------------------------------------

    def upload(self, actor: Actor, learner_id: uuid.UUID, file_name: str | None, content: bytes) -> uuid.UUID:
        """One photo for the teaching point's learner. A name carrying an ID number must carry
        this learner's; the photo must meet the spec (422 listing every problem)."""
        role = actor.require(Role.TEACHING_POINT_ADMIN)
        learner = learner_for(self.store, actor, role, learner_id)
        name = posixpath.basename((file_name or "").replace("\\", "/")).strip() or "照片.jpg"
        if len(content) > ENTRY_MAX_BYTES:
            too_large = f"文件大小超过 {ENTRY_MAX_BYTES // (1024 * 1024)} MB，须在 20 KB 至 40 KB 之间"
            raise PhotoRefused(PhotoVerdict(name, (too_large,)))
        facts = self.inspect(content)
        verdict = check_photo(name, facts, name_required=False)
        named = id_number_in(name)
        if named is not None and named != str(learner.personal.get("id_number", "")).upper():
            verdict = PhotoVerdict(verdict.file_name, (*verdict.problems, "文件名中的证件号码与该学生的证件号码不一致"))
        album = self._album(learner.id)
        with recording(actor, role):
            self._add(album, verdict, facts, content)
        self.store.save(album)
        return learner.id

    def delete_latest(self, actor: Actor, learner_id: uuid.UUID) -> None:
        """删除照片: the latest photo can no longer be used; no older one takes its place."""
        role = actor.require(Role.TEACHING_POINT_ADMIN)
        learner = learner_for(self.store, actor, role, learner_id)
        found = self.store.find(LearnerPhotos.create_id(learner.id))
        if not isinstance(found, LearnerPhotos):
            raise DomainError("photo.none", "该学生当前没有电子照片，无需删除")
        with recording(actor, role):
            found.delete_latest(self.clock.now())
        self.store.save(found)

    def current_photo(self, actor: Actor, learner_id: uuid.UUID) -> bytes:
        with self.read() as conn:
            ref = current_photo_ref(conn, actor, learner_id)
        stored = self.files.get(ref)
        if stored is None:
            raise NotFound("photo.none", "该学生没有可用的电子照片")
        return stored[1]

    # -- a ZIP of many (a background job) ---------------------------------------------------------

    def start_import(self, actor: Actor, file_name: str | None, content: bytes) -> uuid.UUID:
        """批量导入: the archive is checked whole at once (422, nothing queued, when it is corrupt,
        unsafe or too large); its photos are then imported in the background, each with its
        verdict. Returns the job id."""
        actor.require(Role.TEACHING_POINT_ADMIN)
        if actor.teaching_point_id is None:
            raise InvalidInput("teaching_point.required", "只有教学点的管理员可以批量导入电子照片")
        entries = unpack(content)
        name = posixpath.basename((file_name or "").replace("\\", "/")).strip() or "电子照片.zip"
        job = BulkJob(
            id=uuid.uuid4(),
            kind=IMPORT_KIND,
            filename=name[:200],
            admission_batch_id=None,
            teaching_point_id=actor.teaching_point_id,
            actor=actor,
            correlation_id=current_correlation_id(),
            total=len(entries),
            created_at=self.clock.now(),
            content=content,
        )
        return self.jobs.start(job, "未能开始导入电子照片")

    def _run(self, job: BulkJob, token: str) -> bool:
        entries = unpack(job.content or b"")
        named = [id_number_in(name) for name, _ in entries]
        first: dict[str, int] = {}
        for number, id_number in enumerate(named, start=1):
            if id_number:
                first.setdefault(id_number, number)
        found = learners_by_id_number(self.store, sorted(first))

        def verdict(number: int) -> tuple[PhotoVerdict, PhotoFacts, uuid.UUID | None]:
            entry_name, data = entries[number - 1]
            facts = self.inspect(data)
            checked = check_photo(posixpath.basename(entry_name.replace("\\", "/")), facts)
            problems = list(checked.problems)
            id_number = named[number - 1]
            match = found.get(id_number) if id_number else None
            if id_number and (match is None or not job.actor.can_see_teaching_point(match[1])):
                problems.append("本教学点没有该证件号码的学生")
                match = None
            elif id_number and first[id_number] != number:
                problems.append(f"与压缩包中第 {first[id_number]} 个文件是同一学生的照片，本张未导入")
                match = None
            return PhotoVerdict(checked.file_name, tuple(problems)), facts, match[0] if match else None

        def result(number: int, ok: bool, message: str, learner_id: uuid.UUID | None) -> ItemResult:
            text = f"{entries[number - 1][0][:80]}：{message}"
            return ItemResult(number, ok, None if ok else "photo.spec", text, learner_id)

        def process(numbers: list[int]) -> list[ItemResult]:
            results: list[ItemResult] = []
            checked_all = [(number, *verdict(number)) for number in numbers]
            # The chunk's albums read in one go; a learner with two photos in it keeps one album.
            found = self.store.find_many(
                [LearnerPhotos.create_id(lid) for _, checked, _, lid in checked_all if checked.ok and lid is not None]
            )
            albums: dict[uuid.UUID, LearnerPhotos] = {}
            with recording(job.actor, Role.TEACHING_POINT_ADMIN):
                for number, checked, facts, learner_id in checked_all:
                    if not checked.ok or learner_id is None:
                        results.append(result(number, False, checked.message, None))
                        continue
                    if learner_id not in albums:
                        known = found.get(LearnerPhotos.create_id(learner_id))
                        albums[learner_id] = known if isinstance(known, LearnerPhotos) else LearnerPhotos.start(learner_id)
                    self._add(albums[learner_id], checked, facts, entries[number - 1][1])
                    results.append(result(number, True, "已导入", learner_id))
            if albums:
                self.store.save(*albums.values())
            return results

        def recover(number: int) -> ItemResult | None:
            """A photo whose run was cut short: imported if its learner's latest photo is it."""
            checked, _, learner_id = verdict(number)
            if not checked.ok or learner_id is None:
                return None
            album = self.store.find(LearnerPhotos.create_id(learner_id))
            ref, _ = self.files.put(entries[number - 1][1], JPEG, MAX_BYTES, "电子照片")
            if isinstance(album, LearnerPhotos) and album.current_ref == ref:
                return result(number, True, "已导入", learner_id)
            return None

        self.jobs.each_item(job, token, range(1, len(entries) + 1), process, recover, chunk=IMPORT_CHUNK)
        return True

    # -- export (a background job) -------------------------------------------------------------------

    def start_export(
        self, actor: Actor, filters: RosterFilter, naming: str | None, photo_status: str | None = None
    ) -> uuid.UUID:
        """导出照片: every learner the roster query finds (the actor's scope) is one item of a
        background job, which packs the photo in use of each into a ZIP named `<身份证号码>.JPG`
        or `<学号>.JPG` as the user chooses; a learner without a photo is listed as such. The ZIP
        is kept for the user who started the export. Returns the job id."""
        actor.require(*EXPORT_STARTERS)
        if naming not in NAMINGS:
            raise InvalidInput("photo.naming", "请选择导出方式：按身份证号码命名或按学号命名", field="naming")
        with self.read() as conn:
            found = export_roster(conn, actor, filters, EXPORT_MAX_LEARNERS, photo_status)
        if not any(has_photo for _, has_photo in found):
            raise InvalidInput("photo.export_empty", "查询结果中没有已上传电子照片的学生", field="naming")
        if len(found) > EXPORT_MAX_LEARNERS:
            raise InvalidInput(
                "photo.export_too_many", f"一次最多导出 {EXPORT_MAX_LEARNERS} 名学生的照片，请缩小查询范围", field="naming"
            )
        job = BulkJob(
            id=uuid.uuid4(),
            kind=EXPORT_KIND,
            filename=export_title(naming),
            admission_batch_id=None,
            teaching_point_id=actor.teaching_point_id,
            actor=actor,
            correlation_id=current_correlation_id(),
            total=len(found),
            created_at=self.clock.now(),
            content=msgspec.json.encode(ExportInput(naming, [learner_id for learner_id, _ in found])),
        )
        return self.exports.start(job, "未能开始导出电子照片")

    def run_export(self, job_id: uuid.UUID, actor: Actor | None = None) -> None:
        """The export job's body. Safe to call any number of times for one job id."""
        self.exports.run(job_id, actor, self._run_export)

    def resume_exports(self, expired_only: bool = False) -> int:
        return self.exports.resume(expired_only)

    def _run_export(self, job: BulkJob, token: str) -> bool:
        wanted = msgspec.json.decode(job.content or b"", type=ExportInput)
        ids = wanted.learner_ids
        buffer = io.BytesIO()
        written: set[int] = set()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:

            def pack(numbers: list[int]) -> list[ItemResult]:
                with self.read() as conn:
                    rows = export_photos(conn, [ids[n - 1] for n in numbers])
                results = []
                for n in numbers:
                    row = rows.get(ids[n - 1])
                    if row is None:
                        results.append(ItemResult(n, False, "not_found", "该学生已不在查询范围内", ids[n - 1]))
                        continue
                    who = f"{row['student_number'] or ''} {row['name']}".strip()
                    stored = self.files.get(row["ref"]) if row["ref"] else None
                    if stored is None:
                        results.append(ItemResult(n, False, "photo.none", f"{who}：没有使用中的电子照片，未导出", ids[n - 1]))
                        continue
                    if not row[wanted.naming]:
                        results.append(
                            ItemResult(
                                n, False, "photo.unnamed", f"{who}：没有{NAMING_FIELDS[wanted.naming]}，未导出", ids[n - 1]
                            )
                        )
                        continue
                    archive.writestr(f"{str(row[wanted.naming]).upper()}.JPG", stored[1])
                    written.add(n)
                    results.append(ItemResult(n, True, None, f"{who}：已导出", ids[n - 1]))
                return results

            self.exports.each_item(job, token, range(1, len(ids) + 1), pack, chunk=EXPORT_CHUNK)
            # A run cut short packed its photos into a ZIP that is gone: pack them again.
            earlier = [n for n, ok in self.exports.state.row_states(job.id).items() if ok and n not in written]
            for i in range(0, len(earlier), EXPORT_CHUNK):
                pack(earlier[i : i + EXPORT_CHUNK])
        self.exports.state.keep_output(job.id, token, "application/zip", buffer.getvalue())
        return True

    def exported_zip(self, actor: Actor, job_id: uuid.UUID) -> tuple[str, bytes]:
        """The ZIP of a finished export, for the user who started it: (file title, bytes)."""
        with self.read() as conn:
            job = get_photo_export(conn, actor, job_id, EXPORT_KIND)
        if job["status"] != JobStatus.DONE:
            raise DomainError("photo.export_not_ready", f"照片导出{job['status_label']}，完成后才能下载")
        kept = self.exports.state.output(job_id)
        if kept is None:
            raise NotFound("not_found", "导出的照片压缩包不存在（超过保留期限已清理），请重新导出")
        return job["filename"], kept[1]
