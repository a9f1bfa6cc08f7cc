-- policy.retire_source: every pass asks which Batch AI resources bai2aml deleted or terminated, to keep
-- them in the snapshot after they vanish from the source.
CREATE INDEX operations_by_action ON operations (action);
