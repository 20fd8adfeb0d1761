"""The training platform's learning-side use cases, wired together once per process."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from application.training.activities import Activities
from application.training.learning import Learning
from application.training.lectures import Lectures
from application.training.schools import TrainingSchools
from application.training.trainees import Trainees
from application.training.videos import ChapterVideos, VideoStore


@dataclass
class TrainingPlatform:
    schools: TrainingSchools
    trainees: Trainees
    learning: Learning
    lectures: Lectures
    activities: Activities
    videos: ChapterVideos  # chapter videos uploaded by administrators
    video_store: VideoStore  # where they are kept and read back in byte ranges
    sms_sender: Any  # the SMS adapter (the embedded default records the messages)
    wechat: Any  # the WeChat OAuth adapter (the embedded default simulates the server)
