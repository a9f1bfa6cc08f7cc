-- Issue 12, guarded deletion: the Batch AI resources a healthy read no longer lists, kept in the
-- snapshot until a second read agrees (and, after a mass disappearance, an operator confirms).
CREATE TABLE vanished_sources (
  id            TEXT PRIMARY KEY COLLATE NOCASE,
  absent_reads  INTEGER NOT NULL,            -- consecutive healthy reads without it
  held          INTEGER NOT NULL DEFAULT 0,  -- vanished in a mass disappearance
  confirmed     INTEGER NOT NULL DEFAULT 0   -- bai2aml prune --confirm released it
);
