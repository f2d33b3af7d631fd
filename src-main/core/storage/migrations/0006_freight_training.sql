-- Freight training (issue 7): the training schools the administrator keeps (table from 0001,
-- extended here) and the registry of training completion certificates (结业证) that the local
-- schools report, imported from their spreadsheets or entered by hand.

ALTER TABLE training_schools ADD COLUMN updated_at TEXT;
ALTER TABLE training_schools ADD COLUMN updated_by INTEGER REFERENCES staff(id);
CREATE INDEX training_schools_active ON training_schools(active, id);

-- One import of one school's spreadsheet: preview (the file read once, every row checked, the
-- rows to create kept) and commit (all of them in one transaction, or none).
CREATE TABLE training_import_batches (
  id              INTEGER PRIMARY KEY,
  school_id       INTEGER NOT NULL REFERENCES training_schools(id),
  file_name       TEXT NOT NULL,
  file_sha256     TEXT NOT NULL CHECK (length(file_sha256) = 64),
  status          TEXT NOT NULL CHECK (status IN ('previewed', 'committed', 'discarded')),
  total_rows      INTEGER NOT NULL,
  new_rows        INTEGER NOT NULL,
  unchanged_rows  INTEGER NOT NULL,
  error_rows      INTEGER NOT NULL,
  created_rows    INTEGER,
  rows            TEXT NOT NULL CHECK (json_valid(rows)),
  created_at      TEXT NOT NULL,
  created_by      INTEGER NOT NULL REFERENCES staff(id),
  committed_at    TEXT,
  committed_by    INTEGER REFERENCES staff(id)
) STRICT;
CREATE INDEX training_import_batches_at ON training_import_batches(created_at);

-- 结业证: one completed training of one person for one freight vehicle class at one school.
-- A revoked record stays (with who, when and why); it is never shown to the applicant again.
CREATE TABLE training_certificates (
  id               INTEGER PRIMARY KEY,
  school_id        INTEGER NOT NULL REFERENCES training_schools(id),
  certificate_no   TEXT NOT NULL CHECK (length(certificate_no) BETWEEN 1 AND 40),
  id_number        TEXT NOT NULL CHECK (length(id_number) = 18),
  name             TEXT NOT NULL,
  vehicle_class    TEXT NOT NULL CHECK (vehicle_class IN ('A1', 'A2', 'B2')),
  training_start   TEXT NOT NULL CHECK (training_start GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  training_end     TEXT NOT NULL CHECK (training_end GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  issued_on        TEXT NOT NULL CHECK (issued_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  source           TEXT NOT NULL CHECK (source IN ('import', 'manual', 'demo')),
  import_batch_id  INTEGER REFERENCES training_import_batches(id),
  created_at       TEXT NOT NULL,
  created_by       INTEGER REFERENCES staff(id),
  revoked_at       TEXT,
  revoked_by       INTEGER REFERENCES staff(id),
  revoke_reason    TEXT,
  CHECK (training_start <= training_end AND training_end <= issued_on),
  CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
) STRICT;
-- A school's certificate number names one valid record; a revoked one may be re-issued corrected.
CREATE UNIQUE INDEX training_certificates_no ON training_certificates(school_id, certificate_no) WHERE revoked_at IS NULL;
CREATE INDEX training_certificates_no_all ON training_certificates(school_id, certificate_no);
-- The applicant's look-up (查询): own ID number and vehicle class.
CREATE INDEX training_certificates_person ON training_certificates(id_number, vehicle_class);
CREATE INDEX training_certificates_created ON training_certificates(created_at, id);

-- Which application used a local record. The primary key is the rule "one record, one application"
-- and the UNIQUE application_id "one record per application", both kept by the database itself.
-- Linked at submission; released only when that application is withdrawn.
CREATE TABLE training_certificate_uses (
  certificate_id  INTEGER PRIMARY KEY REFERENCES training_certificates(id),
  application_id  INTEGER NOT NULL UNIQUE REFERENCES applications(id),
  linked_at       TEXT NOT NULL
) STRICT;
