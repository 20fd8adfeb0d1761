"""`eduledger audit …`: verify the chain, make a checkpoint signing key pair, take signed
checkpoints of the chain head for safekeeping elsewhere (ADR 0003, 0014)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from infrastructure import audit_checkpoints as cps
from infrastructure.audit_chain import Break
from infrastructure.settings import config_dir


def _print_breaks(breaks: list[Break], checked: int, as_json: bool) -> None:
    if as_json:
        print(json.dumps({"checked": checked, "breaks": [b.__dict__ for b in breaks]}, ensure_ascii=False))
        return
    for b in breaks:
        print(f"BROKEN notification {b.ids}: {b.kind} — {b.detail}")
    print(f"checked {checked} events: " + ("chain intact" if not breaks else f"{len(breaks)} break(s)"))


def _public_key(args: argparse.Namespace, settings: Any) -> Any:
    path = args.public_key or settings.checkpoint_public_key
    return cps.load_public_key(Path(path)) if path else None


def _verify(args: argparse.Namespace) -> int:
    from infrastructure.container import build

    container = build()
    try:
        given = cps.read_file(Path(args.checkpoints)) if args.checkpoints else []
        checked, breaks = cps.verify_all(container.engine, _public_key(args, container.settings), given)
    finally:
        container.close()
    _print_breaks(breaks, checked, args.json)
    if given and not args.json:
        print(f"against {len(given)} checkpoint(s) up to position {max(c.position for c in given)}")
    return 0 if not breaks else 1


def _keygen(args: argparse.Namespace) -> int:
    private = Path(args.private or config_dir() / "checkpoint_signing.pem")
    public = Path(args.public or config_dir() / "checkpoint_public.pem")
    kid = cps.generate_key_pair(private, public)
    print(f"checkpoint signing key {kid}:\n  private (keep it off the database host): {private}\n  public: {public}")
    print(f"take checkpoints with EDULEDGER_CHECKPOINT_SIGNING_KEY={private}; "
          f"verify with EDULEDGER_CHECKPOINT_PUBLIC_KEY={public}")
    return 0


def _signing_key_path(args: argparse.Namespace) -> Path:
    given = args.signing_key or os.environ.get("EDULEDGER_CHECKPOINT_SIGNING_KEY")
    if given:
        return Path(given)
    default = config_dir() / "checkpoint_signing.pem"
    if default.exists():
        return default
    raise cps.CheckpointError(
        "no checkpoint signing key: pass --signing-key FILE or set EDULEDGER_CHECKPOINT_SIGNING_KEY "
        "(make one with `eduledger audit keygen`)"
    )


def _checkpoint(args: argparse.Namespace) -> int:
    from infrastructure.container import build

    key = cps.load_signing_key(_signing_key_path(args))
    out = Path(args.out) if args.out else None
    container = build()
    try:
        earlier = cps.read_file(out) if out and out.exists() else []
        # Never sign over a break, nor over a log that no longer extends the earlier checkpoints.
        checked, breaks = cps.verify_all(container.engine, key.public_key(), earlier)
        if breaks:
            print("refusing to sign a broken chain:", file=sys.stderr)
            for b in breaks:
                print(f"BROKEN notification {b.ids}: {b.kind} — {b.detail}", file=sys.stderr)
            return 1
        # Fingerprint the rows since the previous checkpoint in the file (else the last recorded).
        since = max((c.position for c in earlier or cps.stored(container.engine, limit=1)), default=None)
        cp = cps.take(container.engine, key, since, datetime.now(UTC))
        cps.record(container.engine, cp)
    finally:
        container.close()
    if out:
        with out.open("a") as f:
            f.write(cp.line() + "\n")
    else:
        print(cp.line(), flush=True)
    print(f"checkpoint at position {cp.position} (link {cp.link[:16]}…, {checked} events verified) "
          f"signed with key {cp.key_id}" + (f", appended to {out}" if out else ""), file=sys.stderr)
    return 0


def register(audit: Any) -> None:
    """Adds the subcommands to the `audit` subparsers."""
    v = audit.add_parser("verify", help="verify the tamper-evident chain over stored events")
    v.add_argument("--json", action="store_true")
    v.add_argument("--checkpoints", metavar="FILE", help="signed checkpoints the log must still extend")
    v.add_argument("--public-key", metavar="FILE", help="checkpoint public key (EDULEDGER_CHECKPOINT_PUBLIC_KEY)")
    v.set_defaults(func=_verify)
    k = audit.add_parser("keygen", help="make an Ed25519 key pair for signing checkpoints")
    k.add_argument("--private", metavar="FILE")
    k.add_argument("--public", metavar="FILE")
    k.set_defaults(func=_keygen)
    c = audit.add_parser("checkpoint", help="sign the chain head, to a file or stdout, for safekeeping elsewhere")
    c.add_argument("--out", metavar="FILE", help="append the signed line to FILE (default: stdout)")
    c.add_argument("--signing-key", metavar="FILE", help="private key (EDULEDGER_CHECKPOINT_SIGNING_KEY)")
    c.set_defaults(func=_checkpoint)
