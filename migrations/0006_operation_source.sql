-- Issue 12: a job counts as submitted by its Batch AI id, whatever AML name it was sent under. Each
-- journalled write records the Batch AI resource it is for ('' for writes made before this column).
ALTER TABLE operations ADD COLUMN source_id TEXT NOT NULL DEFAULT '' COLLATE NOCASE;
CREATE INDEX operations_job_sources ON operations (source_id) WHERE method = 'PUT' AND state = 'succeeded';
