"""`eduledger housekeeping`: delete what the platform keeps only for a while (run by a timer).

* sessions past their idle expiry or their absolute lifetime;
* login failures older than the throttle's window (they no longer count);
* training SMS codes that expired and no longer count towards the hourly send limits;
* the ZIP files of photo exports kept longer than the retention (the job row and its per-item
  results stay; downloading then says the file is gone).

Events, stored files (referenced by events) and job rows are never touched.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, or_

from infrastructure.jobs import job_outputs
from infrastructure.sessions import ABSOLUTE, WINDOW, login_failures, sessions
from infrastructure.training_login import sms_codes

SMS_LIMIT_WINDOW = timedelta(hours=1)  # the hourly send limits count codes sent in the last hour


def housekeeping(engine: Engine, export_retention: timedelta, now: datetime | None = None) -> dict[str, int]:
    """Delete what expired; returns how many rows of each kind, in one transaction."""
    now = now or datetime.now(UTC)
    s, f, c, o = sessions.c, login_failures.c, sms_codes.c, job_outputs.c
    with engine.begin() as conn:
        return {
            "sessions": conn.execute(delete(sessions).where(or_(s.expires_at <= now, s.created_at <= now - ABSOLUTE))).rowcount,
            "login_failures": conn.execute(delete(login_failures).where(f.failed_at < now - WINDOW)).rowcount,
            "sms_codes": conn.execute(
                delete(sms_codes).where(c.expires_at < now, c.sent_at < now - SMS_LIMIT_WINDOW)
            ).rowcount,
            "export_files": conn.execute(delete(job_outputs).where(o.stored_at < now - export_retention)).rowcount,
        }
