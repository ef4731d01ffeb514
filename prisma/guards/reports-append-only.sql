-- Issued reports and recognition decisions are immutable: a report is a signed snapshot and a
-- decision is a record both cities rely on, so the database refuses to update, delete or
-- truncate them (audit.refuse_change comes from append-only.sql, applied before this file).
-- One statement per paragraph: a blank line after each statement's semicolon.
DROP TRIGGER IF EXISTS append_only ON reports.credit_report;

CREATE TRIGGER append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON reports.credit_report
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

DROP TRIGGER IF EXISTS append_only ON reports.report_recognition;

CREATE TRIGGER append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON reports.report_recognition
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
