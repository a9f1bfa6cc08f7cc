-- One row per reconcile cycle: what `bai2aml status` reports between daemon runs, and the history
-- the throughput projection is computed from.
CREATE TABLE cycles (
  number        INTEGER PRIMARY KEY,
  started_at    TEXT NOT NULL,
  duration_ms   INTEGER NOT NULL,
  phase         TEXT NOT NULL CHECK (phase IN ('discovering', 'converging', 'converged', 'degraded')),
  remaining     INTEGER NOT NULL,   -- resources not yet in their desired state at the end of the cycle
  writes        INTEGER NOT NULL,   -- write requests sent during the cycle
  error         TEXT                -- the cycle's error, if it had one
);
