-- Journal compaction (issue 13): when it last ran and what it deleted. The pass compacts at most once
-- an hour; this table keeps the cadence across processes (each `apply` is one) and tells when rows
-- left the journal (their requests stay in audit_log, which is never compacted).
CREATE TABLE journal_compactions (
  at       TEXT NOT NULL,     -- RFC 3339
  deleted  INTEGER NOT NULL   -- journal rows deleted
);
