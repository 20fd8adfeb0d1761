-- EduLedger grants for the application role (ADR 0019). Run as eduledger_owner after every
-- `eduledger migrate` (deploy/migrate.sh does both); safe to run again.
--
-- The event store is append-only for the application: INSERT and SELECT on the events, the
-- audit chain and the snapshots; no DELETE or TRUNCATE. One catch: the eventsourcing library's
-- PostgreSQL recorder serialises inserts with `LOCK TABLE <events> IN EXCLUSIVE MODE`, and
-- PostgreSQL (before 17's MAINTAIN privilege) allows that lock only to a role with table-level
-- UPDATE, DELETE or TRUNCATE. So the application keeps UPDATE on the events table alone, and a
-- trigger owned by eduledger_owner refuses every UPDATE, DELETE and TRUNCATE of events and
-- chain links, whoever sends them (the application role cannot drop or disable the trigger of
-- a table it does not own). tests/infrastructure/test_postgres_roles.py proves both halves.

GRANT USAGE ON SCHEMA public TO eduledger_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO eduledger_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO eduledger_app;

REVOKE UPDATE, DELETE, TRUNCATE ON eduledger_events, event_chain, eduledger_snapshots FROM eduledger_app;
GRANT UPDATE ON eduledger_events TO eduledger_app;  -- for LOCK TABLE … IN EXCLUSIVE MODE only

DO $$
BEGIN
    IF to_regclass('public.alembic_version') IS NOT NULL THEN  -- the schema version: read only
        REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM eduledger_app;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION eduledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the event store is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
REVOKE ALL ON FUNCTION eduledger_append_only() FROM PUBLIC;

CREATE OR REPLACE TRIGGER eduledger_events_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON eduledger_events
    FOR EACH STATEMENT EXECUTE FUNCTION eduledger_append_only();
CREATE OR REPLACE TRIGGER event_chain_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON event_chain
    FOR EACH STATEMENT EXECUTE FUNCTION eduledger_append_only();
