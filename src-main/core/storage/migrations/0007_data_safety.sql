-- Data safety (issue 9): the audit log's hash chain and the record of every backup.

-- Each audit entry carries the hash of the entry before it and its own hash over its content and
-- that previous hash (domain/audit-chain.ts), so a deleted or edited entry breaks the chain.
-- Entries written before this migration have no hash yet: the app seals them in id order at its
-- next start (storage/repositories/audit.ts `sealUnchained`), the only UPDATE the log allows.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT CHECK (prev_hash IS NULL OR length(prev_hash) = 64);
ALTER TABLE audit_log ADD COLUMN hash TEXT CHECK (hash IS NULL OR length(hash) = 64);
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (
  OLD.hash IS NULL AND NEW.hash IS NOT NULL AND NEW.prev_hash IS NOT NULL
  AND NEW.id IS OLD.id AND NEW.at IS OLD.at AND NEW.actor_type IS OLD.actor_type
  AND NEW.actor_id IS OLD.actor_id AND NEW.actor_name IS OLD.actor_name AND NEW.action IS OLD.action
  AND NEW.target_type IS OLD.target_type AND NEW.target_id IS OLD.target_id
  AND NEW.detail IS OLD.detail AND NEW.ip IS OLD.ip
)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- (audit_log_no_delete from 0001 stays as it is.)

-- One row per backup run, manual or daily; the backup itself is a folder with a manifest.json.
CREATE TABLE backup_runs (
  id                INTEGER PRIMARY KEY,
  trigger           TEXT NOT NULL CHECK (trigger IN ('manual', 'daily')),
  started_at        TEXT NOT NULL,
  finished_at       TEXT,
  status            TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'ok', 'failed')),
  folder            TEXT NOT NULL,
  path              TEXT,
  schema_version    INTEGER,
  db_bytes          INTEGER,
  attachment_count  INTEGER,
  attachment_bytes  INTEGER,
  -- what the verification after writing found: integrity check, file hashes, audit chain
  verified          TEXT CHECK (verified IS NULL OR verified IN ('ok', 'failed')),
  message           TEXT,
  removed           INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1)),
  staff_id          INTEGER REFERENCES staff(id)
) STRICT;
CREATE INDEX backup_runs_started ON backup_runs(started_at);
CREATE INDEX backup_runs_status ON backup_runs(status, trigger, started_at);
