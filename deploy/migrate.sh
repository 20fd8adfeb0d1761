#!/usr/bin/env bash
# Schema changes for a release (ADR 0019): `eduledger migrate` as the owner role, then the
# grants, which narrow the event store's tables for the application role again.
#
#   EDULEDGER_MIGRATE_URL=postgresql://eduledger_owner:…@db.internal/eduledger deploy/migrate.sh
set -euo pipefail
url=${EDULEDGER_MIGRATE_URL:?set EDULEDGER_MIGRATE_URL to the database URL of the owner role}
here=$(cd "$(dirname "$0")" && pwd)
EDULEDGER_DATABASE_URL="$url" "${EDULEDGER_BIN:-eduledger}" migrate
psql "$url" -v ON_ERROR_STOP=1 --quiet -f "$here/postgres/grants.sql"
echo "migrated; grants applied"
