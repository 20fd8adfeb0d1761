"""Login adapters of the training platform: one-time SMS codes and WeChat OAuth.

The embedded default sends no SMS and calls no WeChat server: `RecordingSmsSender` keeps each
message it was asked to send (development pages and tests read the codes from it) and
`SimulatedWeChat` plays the WeChat OAuth server (authorise a named WeChat user, exchange the
code once for a stable openid).

Codes are kept as keyed digests in a platform table with their expiry; a mobile gets at most one
code a minute and five an hour, a client address ten an hour. A code is good for five minutes
and five wrong tries.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    Integer,
    String,
    Table,
    delete,
    func,
    insert,
    select,
    update,
)

from application.common.instant import Instant
from application.training.activities import Activities
from application.training.learning import Learning
from application.training.lectures import Lectures
from application.training.platform import TrainingPlatform
from application.training.ports import SmsThrottled
from application.training.schools import TrainingSchools
from application.training.trainees import Trainees
from application.training.videos import ChapterVideos
from domains.shared.values import mask_phone
from infrastructure.database import platform_tables
from infrastructure.videos import DatabaseVideoStore

sms_codes = Table(
    "training_sms_codes",
    platform_tables,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("mobile_digest", String(64), nullable=False, index=True),
    Column("address_digest", String(64), nullable=False, index=True),
    Column("code_digest", String(64), nullable=False),
    Column("sent_at", Instant(), nullable=False),
    Column("expires_at", Instant(), nullable=False),
    Column("failures", Integer, nullable=False),
    Column("used", Boolean, nullable=False),
)

CODE_LIFETIME = timedelta(minutes=5)
MOBILE_GAP = timedelta(seconds=60)
MOBILE_PER_HOUR = 5
ADDRESS_PER_HOUR = 10
MAX_FAILURES = 5


class SmsSender(Protocol):
    def send(self, mobile: str, text: str, code: str) -> None: ...


@dataclass(frozen=True)
class SentMessage:
    mobile: str
    text: str
    code: str
    sent_at: datetime

    @property
    def masked_mobile(self) -> str:
        return mask_phone(self.mobile)


class RecordingSmsSender:
    """Development and test sender: keeps the messages instead of sending them."""

    def __init__(self) -> None:
        self.sent: list[SentMessage] = []
        self._lock = threading.Lock()

    def send(self, mobile: str, text: str, code: str) -> None:
        with self._lock:
            self.sent.append(SentMessage(mobile, text, code, datetime.now(UTC)))
            del self.sent[:-200]

    def last_code(self, mobile: str) -> str | None:
        with self._lock:
            return next((m.code for m in reversed(self.sent) if m.mobile == mobile), None)


class SqlSmsCodes:
    def __init__(self, engine: Engine, sender: SmsSender, key: str) -> None:
        self.engine = engine
        self.sender = sender
        self.key = key.encode()

    def _digest(self, kind: str, value: str) -> str:
        return hmac.new(self.key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()

    def issue(self, mobile: str, address: str) -> None:
        now = datetime.now(UTC)
        mobile_digest = self._digest("mobile", mobile)
        address_digest = self._digest("address", address)
        hour_ago = now - timedelta(hours=1)
        with self.engine.begin() as conn:
            conn.execute(delete(sms_codes).where(sms_codes.c.sent_at < now - timedelta(days=1)))
            last = conn.execute(
                select(func.max(sms_codes.c.sent_at)).where(sms_codes.c.mobile_digest == mobile_digest)
            ).scalar_one()
            per_mobile = conn.execute(select(func.count()).where(
                sms_codes.c.mobile_digest == mobile_digest, sms_codes.c.sent_at > hour_ago
            )).scalar_one()
            per_address = conn.execute(select(func.count()).where(
                sms_codes.c.address_digest == address_digest, sms_codes.c.sent_at > hour_ago
            )).scalar_one()
            if last is not None and last > now - MOBILE_GAP:
                raise SmsThrottled("sms.throttled", "验证码发送过于频繁，请60秒后再试")
            if per_mobile >= MOBILE_PER_HOUR or per_address >= ADDRESS_PER_HOUR:
                raise SmsThrottled("sms.throttled", "验证码请求次数过多，请1小时后再试")
            code = f"{secrets.randbelow(1_000_000):06d}"
            conn.execute(insert(sms_codes).values(
                mobile_digest=mobile_digest, address_digest=address_digest, code_digest=self._digest("code", code),
                sent_at=now, expires_at=now + CODE_LIFETIME, failures=0, used=False,
            ))
        self.sender.send(mobile, f"【教师网络培训】您的登录验证码为{code}，5分钟内有效。", code)

    def verify(self, mobile: str, code: str) -> bool:
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            row = conn.execute(
                select(sms_codes).where(sms_codes.c.mobile_digest == self._digest("mobile", mobile))
                .order_by(sms_codes.c.id.desc()).limit(1)
            ).mappings().first()
            if row is None or row["used"] or row["failures"] >= MAX_FAILURES or row["expires_at"] <= now:
                return False
            if not hmac.compare_digest(row["code_digest"], self._digest("code", (code or "").strip())):
                conn.execute(update(sms_codes).where(sms_codes.c.id == row["id"]).values(failures=row["failures"] + 1))
                return False
            conn.execute(update(sms_codes).where(sms_codes.c.id == row["id"]).values(used=True))
            return True


class SimulatedWeChat:
    """Plays WeChat's OAuth server: `authorize(name)` gives a one-time code for the WeChat user
    `name`; `openid_for(code)` exchanges it for that user's stable openid."""

    def __init__(self, key: str) -> None:
        self.key = key.encode()
        self._codes: dict[str, str] = {}
        self._lock = threading.Lock()

    def authorize(self, wechat_user: str) -> str:
        code = secrets.token_urlsafe(16)
        openid = "o" + hmac.new(self.key, wechat_user.encode(), hashlib.sha256).hexdigest()[:27]
        with self._lock:
            self._codes[code] = openid
        return code

    def openid_for(self, code: str) -> str | None:
        with self._lock:
            return self._codes.pop(code, None)


def build_training_platform(store: Any, clock: Any, engine: Engine, hasher: Any, settings: Any) -> TrainingPlatform:
    """The embedded default: codes recorded instead of sent, WeChat OAuth simulated."""
    sender = RecordingSmsSender()
    wechat = SimulatedWeChat(settings.secret_key)
    codes = SqlSmsCodes(engine, sender, settings.secret_key)
    videos = DatabaseVideoStore(engine, settings.training_video_max_mb * 1024 * 1024)
    return TrainingPlatform(
        schools=TrainingSchools(store, hasher),
        trainees=Trainees(store, hasher, codes, wechat),
        learning=Learning(store, clock),
        lectures=Lectures(store, clock),
        activities=Activities(store, clock),
        videos=ChapterVideos(store, videos),
        video_store=videos,
        sms_sender=sender,
        wechat=wechat,
    )
