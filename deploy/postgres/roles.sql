-- EduLedger PostgreSQL roles (ADR 0019). Run once per database, as a superuser, connected to
-- the application database:
--
--   createdb eduledger
--   psql -v ON_ERROR_STOP=1 -d eduledger -f deploy/postgres/roles.sql
--   psql -d eduledger -c "\password eduledger_owner" -c "\password eduledger_app"
--
-- eduledger_owner owns the schema: `eduledger migrate`, `projections rebuild` and the grants
-- (deploy/postgres/grants.sql, run after every migrate) use it. eduledger_app is what the web
-- processes, the worker and the housekeeping timer log in as: rows, never schema.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'eduledger_owner') THEN
        CREATE ROLE eduledger_owner LOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'eduledger_app') THEN
        CREATE ROLE eduledger_app LOGIN;
    END IF;
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO eduledger_owner, eduledger_app', current_database());
END
$$;

-- Only the owner creates objects; the application role only uses them.
ALTER SCHEMA public OWNER TO eduledger_owner;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO eduledger_app;

-- Tables the owner creates later (read models swapped in by a rebuild, new platform tables)
-- are usable by the application at once. The event store's tables are then narrowed by
-- grants.sql, which must follow every migrate.
ALTER DEFAULT PRIVILEGES FOR ROLE eduledger_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO eduledger_app;
ALTER DEFAULT PRIVILEGES FOR ROLE eduledger_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO eduledger_app;
