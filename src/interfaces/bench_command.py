"""`eduledger bench`: registered with the CLI here, measured in `interfaces.bench`."""

from __future__ import annotations

import argparse
import os
import sys

from interfaces.cli import EXTRA_COMMANDS


def _bench(args: argparse.Namespace) -> int:
    from interfaces import bench

    if args.forms < 1 or args.selection_learners < 1 or args.certificates < 1:
        raise SystemExit("--forms, --selection-learners and --certificates must be at least 1")
    database = args.database_url or "a fresh temporary SQLite file"
    print(f"eduledger bench: {args.forms} forms on {database}", file=sys.stderr, flush=True)
    load_before = os.getloadavg()[0]
    figures = bench.run(
        forms=args.forms,
        database_url=args.database_url,
        stock_forms=args.stock_forms,
        progress=lambda line: print(f"  {line}", file=sys.stderr, flush=True),
        selection_learners=args.selection_learners,
        certificates=args.certificates,
    )
    # Other work on the machine slows every figure; the ratios, measured side by side, less so.
    note = f"load average {load_before:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    print(bench.table(figures, "PostgreSQL" if (args.database_url or "").startswith("postgres") else "SQLite", note))
    if args.json:
        bench.write_json(figures, args.json)
    return 0


def register(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Measure the bulk use cases and rebuilds side by side with raw inserts and scans of the "
        "same database, in one run, and print each as a ratio to its raw reference."
    )
    p.add_argument("--forms", type=int, default=10_000, help="application forms to approve in bulk (10000)")
    p.add_argument(
        "--stock-forms", type=int, default=1_000, help="forms approved one by one for the stock path (1000)"
    )
    p.add_argument(
        "--selection-learners", type=int, default=20_000,
        help="learners of the course-selection rush, 5 courses each (20000)",
    )
    p.add_argument(
        "--certificates", type=int, default=200,
        help="certificates rendered, then applied for and downloaded as PDF by as many trainees (200)",
    )
    p.add_argument(
        "--database-url",
        default=None,
        help="an empty database (postgresql://…); default: a fresh temporary SQLite file",
    )
    p.add_argument("--json", metavar="FILE", default=None, help="also write the figures as one JSON object")
    p.set_defaults(func=_bench)


EXTRA_COMMANDS.append(("bench", register))
