-- Append-only tables: Prisma's schema language has no triggers, so this guard is applied,
-- idempotently, after the migrations at every start (prisma/guards.ts). Updating, deleting or
-- truncating a registration or a history row is refused by the database itself, whoever asks.
-- One statement per paragraph: a blank line after each statement's semicolon.
CREATE OR REPLACE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%.% is append-only: % refused', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

DROP TRIGGER IF EXISTS append_only ON audit.query_registration;

CREATE TRIGGER append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit.query_registration
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

DROP TRIGGER IF EXISTS append_only ON lists.list_entry_history;

CREATE TRIGGER append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON lists.list_entry_history
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

DROP TRIGGER IF EXISTS append_only ON audit.seal;

CREATE TRIGGER append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit.seal
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
