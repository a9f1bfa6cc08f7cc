-- The Batch AI inventory snapshot, the desired AML state, what was observed of the live AML state,
-- and the findings. ARM ids are case-insensitive, hence COLLATE NOCASE on every id column.

CREATE TABLE source_meta (
  singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
  mode        TEXT NOT NULL CHECK (mode IN ('live', 'snapshot')),
  fetched_at  TEXT,            -- RFC 3339, when the inventory below was read
  last_error  TEXT             -- why the source could not be read, or NULL
);

-- Raw ARM JSON of each Batch AI resource, as GET/LIST returned it, with secret values stripped.
CREATE TABLE inventory (
  id          TEXT PRIMARY KEY COLLATE NOCASE,
  kind        TEXT NOT NULL,   -- workspace, cluster, fileserver, experiment, job
  body        TEXT NOT NULL,
  fetched_at  TEXT NOT NULL
);

CREATE TABLE desired (
  id          TEXT PRIMARY KEY COLLATE NOCASE,   -- AML ARM id
  kind        TEXT NOT NULL,
  source_id   TEXT NOT NULL COLLATE NOCASE,      -- Batch AI ARM id
  spec        TEXT NOT NULL,                     -- PUT body; secrets only as {"$secretFile": path}
  spec_hash   TEXT NOT NULL,
  depends_on  TEXT NOT NULL DEFAULT '[]',        -- JSON array of AML ids
  updated_at  TEXT NOT NULL
);
CREATE INDEX desired_by_source ON desired (source_id);

CREATE TABLE observed (
  id                  TEXT PRIMARY KEY COLLATE NOCASE,
  kind                TEXT NOT NULL,
  body                TEXT NOT NULL,             -- as LIST returned it (secrets never returned)
  provisioning_state  TEXT,
  owned               INTEGER NOT NULL CHECK (owned IN (0, 1)),
  observed_at         TEXT NOT NULL
);

CREATE TABLE findings (
  origin      TEXT NOT NULL,                     -- translate, reconcile, ...: who replaces them
  source_id   TEXT NOT NULL COLLATE NOCASE,
  code        TEXT NOT NULL,
  severity    TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
  message     TEXT NOT NULL,
  remedy      TEXT NOT NULL,
  first_seen  TEXT NOT NULL,
  PRIMARY KEY (origin, source_id, code, message)
);
