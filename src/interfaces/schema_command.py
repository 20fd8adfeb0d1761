"""`eduledger migrate`: bring the database to this release (ADR 0013). Run it once per release,
before starting or upgrading the web and worker processes; concurrent runs wait for each other."""

from __future__ import annotations

import argparse

from interfaces import cli


def _migrate(args: argparse.Namespace) -> int:
    from infrastructure.schema import migrate_database
    from infrastructure.settings import load_settings

    done = migrate_database(load_settings())
    for line in done:
        print(line, flush=True)
    if not done:
        print("nothing to migrate: the schema is current", flush=True)
    return 0


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = __doc__
    parser.set_defaults(func=_migrate)


cli.EXTRA_COMMANDS.append(("migrate", register))
