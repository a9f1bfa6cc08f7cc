-- What the report's progress chart and `bai2aml history` read: the resource states at the end of
-- each cycle, every state change of a resource, and every finding raised or cleared.

-- Counts at the end of the cycle, as the status file counts them (NULL for cycles recorded before).
ALTER TABLE cycles ADD COLUMN in_sync INTEGER;
ALTER TABLE cycles ADD COLUMN pending INTEGER;
ALTER TABLE cycles ADD COLUMN blocked INTEGER;
ALTER TABLE cycles ADD COLUMN failed  INTEGER;
ALTER TABLE cycles ADD COLUMN retired INTEGER;

-- One row per change of a resource's state or reason; written by triggers, so every writer of
-- resource_status records it. Append-only.
CREATE TABLE status_history (
  seq      INTEGER PRIMARY KEY AUTOINCREMENT,
  id       TEXT NOT NULL COLLATE NOCASE,   -- AML ARM id
  at       TEXT NOT NULL,
  state    TEXT NOT NULL,
  reason   TEXT NOT NULL,
  message  TEXT NOT NULL
);
CREATE INDEX status_history_by_id ON status_history (id);
CREATE TRIGGER status_history_on_insert AFTER INSERT ON resource_status
  BEGIN INSERT INTO status_history (id, at, state, reason, message)
        VALUES (NEW.id, NEW.last_transition_at, NEW.state, NEW.reason, NEW.message); END;
CREATE TRIGGER status_history_on_update AFTER UPDATE ON resource_status
  WHEN OLD.state IS NOT NEW.state OR OLD.reason IS NOT NEW.reason
  BEGIN INSERT INTO status_history (id, at, state, reason, message)
        VALUES (NEW.id, NEW.last_transition_at, NEW.state, NEW.reason, NEW.message); END;
CREATE TRIGGER status_history_no_update BEFORE UPDATE ON status_history
  BEGIN SELECT RAISE(ABORT, 'status_history is append-only'); END;

-- One row when a finding appears and one when it goes away (its origin no longer reports it).
CREATE TABLE finding_events (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  at         TEXT NOT NULL,
  event      TEXT NOT NULL CHECK (event IN ('raised', 'cleared')),
  origin     TEXT NOT NULL,
  source_id  TEXT NOT NULL COLLATE NOCASE,   -- Batch AI ARM id
  code       TEXT NOT NULL,
  severity   TEXT NOT NULL,
  message    TEXT NOT NULL
);
CREATE INDEX finding_events_by_source ON finding_events (source_id);
