-- Incremental passes (issue 13): a pass rewrites only the inventory and observed rows whose content
-- changed, comparing these hashes first ('' for rows stored before: rewritten once).
ALTER TABLE inventory ADD COLUMN body_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE observed ADD COLUMN body_hash TEXT NOT NULL DEFAULT '';
-- The executor reads a resource's journal before each write: by id, not by scanning the table.
CREATE INDEX operations_by_resource ON operations (resource_id);
