-- The write-ahead journal of operations sent to Azure, the append-only audit log, and the
-- per-resource reconcile status (a Ready condition, as Azure Service Operator keeps one).

-- A row is written (state 'intent') before the request is sent, so a crash at any point leaves
-- enough to resume: re-poll the operation URL, or re-send the idempotent PUT.
CREATE TABLE operations (
  op_id              INTEGER PRIMARY KEY AUTOINCREMENT,
  resource_id        TEXT NOT NULL COLLATE NOCASE,
  action             TEXT NOT NULL,              -- create, update, replace, adopt, retire, terminate, ...
  method             TEXT NOT NULL,              -- PUT, PATCH, DELETE, POST
  url                TEXT NOT NULL,
  body_hash          TEXT NOT NULL,              -- of the body with secret references, never secret values
  client_request_id  TEXT NOT NULL,
  state              TEXT NOT NULL CHECK (state IN ('intent', 'sent', 'polling', 'succeeded', 'failed', 'abandoned')),
  poll_url           TEXT,                       -- Azure-AsyncOperation or Location, once known
  http_status        INTEGER,
  error_code         TEXT,
  error_message      TEXT,
  attempts           INTEGER NOT NULL DEFAULT 0,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL
);
CREATE INDEX operations_open ON operations (resource_id) WHERE state IN ('intent', 'sent', 'polling');

-- Every write sent to Azure, one row per request; never updated or deleted.
CREATE TABLE audit_log (
  seq                INTEGER PRIMARY KEY AUTOINCREMENT,
  at                 TEXT NOT NULL,
  op_id              INTEGER,
  resource_id        TEXT NOT NULL,
  method             TEXT NOT NULL,
  url                TEXT NOT NULL,
  body_hash          TEXT NOT NULL,
  client_request_id  TEXT NOT NULL,
  http_status        INTEGER,
  outcome            TEXT NOT NULL,
  duration_ms        INTEGER NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE resource_status (
  id                 TEXT PRIMARY KEY COLLATE NOCASE,
  kind               TEXT NOT NULL,
  state              TEXT NOT NULL CHECK (state IN ('pending', 'in_sync', 'failed', 'blocked', 'retired')),
  reason             TEXT NOT NULL DEFAULT '',   -- PascalCase: ARM error code or internal reason
  message            TEXT NOT NULL DEFAULT '',
  spec_hash          TEXT NOT NULL DEFAULT '',   -- the desired spec this status is about
  failures           INTEGER NOT NULL DEFAULT 0,
  next_attempt_at    TEXT,
  last_transition_at TEXT NOT NULL
);
