"""`eduledger housekeeping`: registered with the CLI here, done in `infrastructure.housekeeping`.
Run by the `eduledger-housekeeping.timer` of the deployment kit."""

from __future__ import annotations

import argparse
import json
from datetime import timedelta

from interfaces.cli import EXTRA_COMMANDS


def _housekeeping(args: argparse.Namespace) -> int:
    from infrastructure.container import build
    from infrastructure.housekeeping import housekeeping

    container = build()
    days = args.export_days if args.export_days is not None else container.settings.export_retention_days
    try:
        counts = housekeeping(container.engine, timedelta(days=days))
    finally:
        container.close()
    if args.json:
        print(json.dumps(counts))
    else:
        print("deleted " + ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in counts.items()))
    return 0


def register(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Delete expired sessions, old login failures, expired SMS codes and the files of photo "
        "exports kept longer than the retention; print how many of each."
    )
    p.add_argument("--export-days", type=float, default=None,
                   help="keep export files this many days (default EDULEDGER_EXPORT_RETENTION_DAYS, 7)")
    p.add_argument("--json", action="store_true", help="print the counts as JSON")
    p.set_defaults(func=_housekeeping)


EXTRA_COMMANDS.append(("housekeeping", register))
