"""The learners API (学籍): the roster, a learner's record and its change requests, status
changes with the change-of-major window, electronic photos."""

from __future__ import annotations

from interfaces.http.api.learners.photos import (
    LearnerPhotoBatchController,
    LearnerPhotoController,
)
from interfaces.http.api.learners.records import (
    LearnerRecordController,
    RecordChangeQueueController,
)
from interfaces.http.api.learners.roster import LearnerController
from interfaces.http.api.learners.status_changes import (
    ChangeOfMajorWindowController,
    StatusChangeController,
)

CONTROLLERS = [
    LearnerController,
    StatusChangeController,
    ChangeOfMajorWindowController,
    LearnerRecordController,
    RecordChangeQueueController,
    LearnerPhotoController,
    LearnerPhotoBatchController,
]
