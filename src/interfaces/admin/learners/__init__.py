"""Admin pages of learners (学籍)."""

from __future__ import annotations

from interfaces.admin.learners.photos import LearnerPhotoPages, PhotoRosterPages
from interfaces.admin.learners.records import LearnerRecordPages, RecordChangePages
from interfaces.admin.learners.roster import LearnerPages
from interfaces.admin.learners.status_changes import StatusChangePages

CONTROLLERS = [PhotoRosterPages, LearnerPhotoPages, LearnerRecordPages, RecordChangePages, LearnerPages, StatusChangePages]
