#!/usr/bin/env bash
# Back up the EduLedger PostgreSQL database (ADR 0019): events, audit chain, read models,
# stored files, jobs and sessions are all in it, so one dump is the whole state.
#
#   deploy/backup.sh DEST_DIR            (database: $EDULEDGER_BACKUP_URL or $EDULEDGER_DATABASE_URL)
#
# Writes DEST_DIR/eduledger-<UTC time>.dump (pg_dump custom format) and a .sha256 beside it,
# then reads the archive's table of contents back to prove it is whole. The dump holds no key:
# the audit key (without it `audit verify` cannot tell an intact log from a forged one), the
# secret key and the checkpoint signing key live in /etc/eduledger/credentials and are backed
# up separately (README "Backup and restore"). Keep DUMPS=n newest dumps (default 14).
set -euo pipefail

dest=${1:?usage: backup.sh DEST_DIR}
url=${EDULEDGER_BACKUP_URL:-${EDULEDGER_DATABASE_URL:?set EDULEDGER_BACKUP_URL or EDULEDGER_DATABASE_URL}}
keep=${DUMPS:-14}

mkdir -p "$dest"
umask 077
name="eduledger-$(date -u +%Y%m%dT%H%M%SZ)"
tmp="$dest/.$name.dump.partial"
trap 'rm -f "$tmp"' EXIT

pg_dump --dbname="$url" --format=custom --compress=6 --file="$tmp"
pg_restore --list "$tmp" >/dev/null  # a truncated or corrupt archive fails here, not at restore
mv "$tmp" "$dest/$name.dump"
(cd "$dest" && sha256sum "$name.dump" >"$name.dump.sha256")

# Rotation: the newest $keep dumps stay.
ls -1t "$dest"/eduledger-*.dump 2>/dev/null | tail -n +"$((keep + 1))" | while read -r old; do
    rm -f "$old" "$old.sha256"
done
echo "$dest/$name.dump"
