#!/usr/bin/env bash
# Restore an EduLedger dump into an EMPTY database and verify its audit chain (ADR 0019).
#
#   deploy/restore.sh DUMP TARGET_URL
#
# TARGET_URL names a database that exists and has no tables (createdb it; in production run
# deploy/postgres/roles.sql in it first and restore as a superuser with RESTORE_ROLE=eduledger_owner,
# then deploy/postgres/grants.sql). The restore is one transaction: it ends complete or not at all.
# Then, with the SAME audit key as the backed-up system (EDULEDGER_AUDIT_KEY or
# EDULEDGER_AUDIT_KEY_FILE in the environment), `eduledger audit verify` must say "chain intact";
# the script fails if it does not. Set EDULEDGER_BIN if `eduledger` is not on PATH.
set -euo pipefail

dump=${1:?usage: restore.sh DUMP TARGET_URL}
target=${2:?usage: restore.sh DUMP TARGET_URL}
bin=${EDULEDGER_BIN:-eduledger}

if [[ -f "$dump.sha256" ]]; then
    (cd "$(dirname "$dump")" && sha256sum --check --quiet "$(basename "$dump").sha256")
fi
tables=$(psql "$target" -Atc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [[ "$tables" != "0" ]]; then
    echo "restore.sh: the target database already has $tables tables; restore only into an empty one" >&2
    exit 2
fi

role_args=()
if [[ -n "${RESTORE_ROLE:-}" ]]; then
    role_args=(--role="$RESTORE_ROLE")
fi
pg_restore --dbname="$target" --single-transaction --exit-on-error --no-owner --no-privileges \
    "${role_args[@]}" "$dump"

if [[ -z "${EDULEDGER_AUDIT_KEY:-}" && -z "${EDULEDGER_AUDIT_KEY_FILE:-}" ]]; then
    echo "restore.sh: restored; set EDULEDGER_AUDIT_KEY(_FILE) to the backed-up system's key and run 'eduledger audit verify'" >&2
    exit 3
fi
EDULEDGER_DATABASE_URL="$target" "$bin" audit verify
