"""`eduledger`: serve, demo data, workers, projection rebuilds, audit verification, benchmark."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from infrastructure.container import build
    from interfaces.http.app import create_app

    container = build()
    if args.demo:
        from interfaces.demo import load_demo

        print(load_demo(container), flush=True)
    # The certificate font's working set is built once per machine (kept under var/cache);
    # building it now spares the first certificate download the wait.
    threading.Thread(target=container.certificate_renderer.warm, name="certificate-font", daemon=True).start()
    print(f"EduLedger serving on http://{args.host}:{args.port}/ (admin UI /admin/, API /api/v1, OpenAPI /schema)", flush=True)
    # uvicorn must not rewrite the client address from X-Forwarded-For itself (by default it
    # believes 127.0.0.1): the app's TrustedProxyMiddleware is the one mechanism (ADR 0018).
    # log_config=None leaves uvicorn's loggers to the app's JSON logging; the app logs each
    # request itself (without the query string), so uvicorn's access log is off.
    options = {"host": args.host, "port": args.port, "proxy_headers": False, "server_header": False,
               "log_config": None, "log_level": "warning", "access_log": False}
    if args.workers > 1:
        # Stateless API processes: each builds its own container from the same settings.
        # Their request metrics meet in one directory, so a scrape of any one counts them all.
        from infrastructure.observability import multiprocess_metrics_dir

        multiprocess_metrics_dir(container.settings.var_dir)
        container.close()
        uvicorn.run("interfaces.http.app:create_app", factory=True, workers=args.workers, **options)
    else:
        uvicorn.run(create_app(container), **options)
    return 0


def _demo(args: argparse.Namespace) -> int:
    from infrastructure.container import build
    from interfaces.demo import load_demo

    container = build()
    print(load_demo(container))
    container.close()
    return 0


def _worker(args: argparse.Namespace) -> int:
    """Production: follow the event log and keep every read model current; with a broker
    (EDULEDGER_BROKER_URL) also run the dramatiq workers of the background jobs."""
    from infrastructure.container import build
    from infrastructure.jobs import run_workers
    from infrastructure.logs import configure_logging

    container = build()
    configure_logging(container.settings.log_level)  # job logs scrubbed like the web's
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    if run_workers(container.jobs):
        print(f"job workers consuming queue {container.jobs.queue_name!r}", flush=True)
    print(f"projection worker following from {container.runner.positions()}", flush=True)
    container.runner.follow(stop, interval=args.interval)
    container.close()
    return 0


def _rebuild(args: argparse.Namespace) -> int:
    from infrastructure.schema import rebuild_read_models
    from infrastructure.settings import load_settings

    read = rebuild_read_models(load_settings(), args.names or None)
    print(f"rebuilt {', '.join(args.names) if args.names else 'all read models'} from {read} events")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="eduledger", description="EduLedger academic-affairs platform")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="serve the API and admin UI")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--demo", action="store_true", help="load demo data first (once)")
    s.add_argument("--workers", type=int, default=1, help="API processes (production)")
    s.set_defaults(func=_serve)
    sub.add_parser("demo", help="load demo data (once)").set_defaults(func=_demo)
    w = sub.add_parser("worker", help="run the projection worker (production)")
    w.add_argument("--interval", type=float, default=0.5)
    w.set_defaults(func=_worker)
    pr = sub.add_parser("projections", help="projection maintenance")
    prs = pr.add_subparsers(dest="action", required=True)
    rb = prs.add_parser("rebuild", help="replay read models beside the live ones and swap them in")
    rb.add_argument("names", nargs="*")
    rb.set_defaults(func=_rebuild)
    au = sub.add_parser("audit", help="audit tools")
    aus = au.add_subparsers(dest="action", required=True)
    audit_command.register(aus)
    for name, register in EXTRA_COMMANDS:
        register(sub.add_parser(name))
    return p


# Further commands (bench, export) add (name, register) pairs here.
EXTRA_COMMANDS: list[tuple[str, Callable[[argparse.ArgumentParser], None]]] = []
import interfaces.bench_command  # noqa: E402  (registers `eduledger bench`)
import interfaces.housekeeping_command  # noqa: E402  (registers `eduledger housekeeping`)
import interfaces.schema_command  # noqa: E402, F401  (registers `eduledger migrate`)
from interfaces import audit_command  # noqa: E402  (eduledger audit verify, keygen, checkpoint)


def main(argv: list[str] | None = None) -> int:
    from infrastructure.audit_checkpoints import CheckpointError
    from infrastructure.schema import SchemaNotCurrent
    from infrastructure.settings import ConfigurationError

    args = parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (ConfigurationError, CheckpointError) as exc:
        # Missing keys on PostgreSQL, unusable key files: say what to set, start nothing.
        print(f"eduledger: {exc}", file=sys.stderr)
        return 2
    except SchemaNotCurrent as refused:  # PostgreSQL, before `eduledger migrate` (ADR 0013)
        print(f"eduledger {args.command}: {refused}", file=sys.stderr, flush=True)
        return 3


if __name__ == "__main__":
    # `python -m interfaces.cli`: run the imported module's `main`, where the commands that
    # register themselves (migrate, bench, housekeeping) were added, not this `__main__` copy.
    from interfaces.cli import main as registered_main

    sys.exit(registered_main())
