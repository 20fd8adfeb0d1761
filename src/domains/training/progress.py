"""Learning a course (我的培训课程, requirements/training.md §3).

The player reports the intervals it actually played (start and end, in seconds); the server
merges them per chapter and decides. A chapter is complete only when the merged intervals cover
its whole duration, allowing at most `END_TOLERANCE` seconds unwatched at its start and at its
end and `JOIN_GAP` between two reports: seeking or fast-forwarding leaves a gap, and a gap keeps
the chapter open however much else was watched. The summary assignment is submitted and kept.

A centre course's hours become certificate-eligible only when every chapter and the summary are
complete; until then they are process hours, shown but never printable. School-based and
ideology courses complete the same way and are recognised by the school only.
"""

from __future__ import annotations

import uuid
from typing import Any

from eventsourcing.domain import event

from domains.shared.aggregate import NAMESPACE, DomainAggregate
from domains.shared.errors import DomainError, InvalidInput
from domains.shared.values import require_text
from domains.training.resources import ResourceKind, TrainingCourse

END_TOLERANCE = 1.0  # seconds that may stay unwatched at a chapter's start and at its end
JOIN_GAP = 0.25  # seconds between two reported intervals that still count as continuous
MAX_INTERVALS_PER_REPORT = 100
MAX_SUMMARY = 5_000

Interval = tuple[float, float]


def parse_intervals(raw: Any, duration: int) -> list[Interval]:
    """Reported intervals, checked: numbers, 0 <= start < end <= duration (+ tolerance)."""
    if not isinstance(raw, list) or not raw or len(raw) > MAX_INTERVALS_PER_REPORT:
        raise InvalidInput(
            "training_progress.intervals_invalid",
            f"须报告1至{MAX_INTERVALS_PER_REPORT}个观看区间",
            field="intervals",
        )
    out: list[Interval] = []
    for item in raw:
        try:
            start, end = (float(v) for v in item)
        except (TypeError, ValueError):
            raise InvalidInput(
                "training_progress.interval_malformed", "观看区间须为[开始秒, 结束秒]", field="intervals"
            ) from None
        if isinstance(item[0], bool) or isinstance(item[1], bool) or not (
            0 <= start < end <= duration + END_TOLERANCE
        ):
            raise InvalidInput(
                "training_progress.interval_out_of_range",
                f"观看区间须满足 0 ≤ 开始 < 结束 ≤ 章节时长（{duration}秒）",
                field="intervals",
            )
        out.append((round(start, 2), round(min(end, float(duration)), 2)))
    return out


def merge_intervals(intervals: list[Interval]) -> list[Interval]:
    """Overlapping or (nearly) touching intervals joined; the result sorted and disjoint."""
    merged: list[list[float]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1] + JOIN_GAP:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def covers(merged: list[Interval], duration: int) -> bool:
    """Watched through: one continuous stretch from (near) the start to (near) the end."""
    if not merged:
        return False
    return len(merged) == 1 and merged[0][0] <= END_TOLERANCE and merged[0][1] >= duration - END_TOLERANCE


def watched_seconds(merged: list[Interval]) -> float:
    return round(sum(e - s for s, e in merged), 2)


class CourseStudy(DomainAggregate):
    """One trainee's study of one course, from sign-up (报名) on."""

    @staticmethod
    def create_id(trainee_id: uuid.UUID, course_id: uuid.UUID) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE, f"course_study:{trainee_id}:{course_id}")

    @event("SignedUp")
    def __init__(
        self,
        trainee_id: uuid.UUID,
        training_school_id: uuid.UUID,
        course_id: uuid.UUID,
        kind: str,
        title: str,
        tenths: int,
        chapters: list[dict[str, Any]],
        via_training_list: bool,
    ) -> None:
        self.trainee_id = trainee_id
        self.training_school_id = training_school_id
        self.course_id = course_id
        self.kind = kind
        self.title = title
        self.tenths = tenths
        self.durations = {c["id"]: int(c["duration_seconds"]) for c in chapters}
        self.watched: dict[str, list[Interval]] = {c["id"]: [] for c in chapters}
        self.completed_chapters: set[str] = set()
        self.summary_submitted = False
        self.completed = False

    @classmethod
    def sign_up(
        cls, trainee_id: uuid.UUID, training_school_id: uuid.UUID, course: TrainingCourse, via_training_list: bool = False
    ) -> CourseStudy:
        return cls(
            trainee_id=trainee_id, training_school_id=training_school_id, course_id=course.id, kind=course.kind,
            title=course.title, tenths=course.tenths, chapters=course.chapters, via_training_list=via_training_list,
        )

    @property
    def certificate_eligible(self) -> bool:
        """Hours printable on a centre certificate: a centre course, complete in full."""
        return self.completed and ResourceKind(self.kind).certificate_eligible

    def report_watched(self, chapter_id: str, raw_intervals: Any, duration: int | None = None) -> bool:
        """Records newly watched time; returns whether the course became complete by it.
        `duration` is the chapter's length now, when its video was uploaded or replaced after
        the sign-up (the length the study took at sign-up otherwise)."""
        if chapter_id not in self.durations:
            raise InvalidInput("training_progress.chapter_unknown", "该课程没有这个章节", field="chapter_id")
        duration = duration or self.durations[chapter_id]
        reported = parse_intervals(raw_intervals, duration)
        if chapter_id in self.completed_chapters:
            return False  # watching again changes nothing
        before = self.watched[chapter_id]
        merged = merge_intervals(before + reported)
        if merged == before:
            return False
        self._watched(chapter_id=chapter_id, intervals=[list(i) for i in merged])
        if covers(merged, duration):
            self._chapter_completed(chapter_id=chapter_id)
            return self._complete_if_done()
        return False

    @event("WatchedIntervalsMerged")
    def _watched(self, chapter_id: str, intervals: list[list[float]]) -> None:
        self.watched[chapter_id] = [(float(s), float(e)) for s, e in intervals]

    @event("ChapterCompleted")
    def _chapter_completed(self, chapter_id: str) -> None:
        self.completed_chapters.add(chapter_id)

    def submit_summary(self, text: str) -> bool:
        """The summary assignment (总结作业); returns whether the course became complete by it."""
        if self.summary_submitted:
            raise DomainError("training_summary.already_submitted", "总结作业已提交")
        self._summary_submitted(text=require_text(text, "text", "总结作业", MAX_SUMMARY))
        return self._complete_if_done()

    @event("SummarySubmitted")
    def _summary_submitted(self, text: str) -> None:
        self.summary_submitted = True
        self.summary = text

    def _complete_if_done(self) -> bool:
        if self.completed or not self.summary_submitted or self.completed_chapters != set(self.durations):
            return False
        self._completed(certificate_eligible=ResourceKind(self.kind).certificate_eligible)
        return True

    @event("Completed")
    def _completed(self, certificate_eligible: bool) -> None:
        self.completed = True
