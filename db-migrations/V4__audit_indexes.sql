-- The audit API filters by subject, by server and target, and by time, and pages by time and id: the
-- index on request_id served none of them and cost every insert a fourth secondary index.
DROP INDEX IF EXISTS audit_records_request;
