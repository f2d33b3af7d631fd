-- The applicant API (issue 3): applicant accounts and tokens, SMS codes, attachments and the
-- history of each submission. `applicants`, `applications` and `application_events` come from 0001.

-- Lock-out after repeated failed logins (per ID number), as for staff.
ALTER TABLE applicants ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE applicants ADD COLUMN locked_until_ms INTEGER;
ALTER TABLE applicants ADD COLUMN updated_at TEXT;
CREATE INDEX applicants_phone ON applicants(phone);

-- How many times the application was submitted (1 after the first submission, 2 after a 补正, …).
ALTER TABLE applications ADD COLUMN submission_count INTEGER NOT NULL DEFAULT 0;

-- Bearer tokens of the app: random, stored only as their SHA-256, with an absolute expiry.
CREATE TABLE applicant_tokens (
  token_hash    TEXT PRIMARY KEY,
  applicant_id  INTEGER NOT NULL REFERENCES applicants(id),
  created_at    TEXT NOT NULL,
  expires_ms    INTEGER NOT NULL,
  revoked       INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
) STRICT;
CREATE INDEX applicant_tokens_applicant ON applicant_tokens(applicant_id);

-- SMS verification codes (stored hashed). state: live, used, voided (too many wrong tries or superseded).
CREATE TABLE sms_codes (
  id          INTEGER PRIMARY KEY,
  phone       TEXT NOT NULL,
  purpose     TEXT NOT NULL CHECK (purpose IN ('register', 'reset')),
  code_hash   TEXT NOT NULL,
  created_ms  INTEGER NOT NULL,
  expires_ms  INTEGER NOT NULL,
  attempts    INTEGER NOT NULL DEFAULT 0,
  state       TEXT NOT NULL DEFAULT 'live' CHECK (state IN ('live', 'used', 'voided')),
  ip          TEXT
) STRICT;
CREATE INDEX sms_codes_phone ON sms_codes(phone, created_ms);

-- Attachment metadata; the bytes live once per SHA-256 under <dataDir>/attachments/.
-- replaced_at IS NULL marks the current file of a kind. A file replaced after a submission is kept
-- (the submission's history names it); one replaced in a draft is dropped.
CREATE TABLE attachments (
  id               INTEGER PRIMARY KEY,
  application_id   INTEGER NOT NULL REFERENCES applications(id),
  kind             TEXT NOT NULL CHECK (kind IN ('id_front', 'id_back', 'licence', 'no_accident', 'photo', 'other',
                                                 'training_cert', 'other2', 'old_certificate')),
  file_name        TEXT NOT NULL,
  content_type     TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
  size             INTEGER NOT NULL CHECK (size > 0),
  sha256           TEXT NOT NULL CHECK (length(sha256) = 64),
  uploaded_at      TEXT NOT NULL,
  uploaded_by_type TEXT NOT NULL CHECK (uploaded_by_type IN ('applicant', 'staff', 'system')),
  uploaded_by_id   INTEGER,
  replaced_at      TEXT
) STRICT;
CREATE UNIQUE INDEX attachments_current ON attachments(application_id, kind) WHERE replaced_at IS NULL;
CREATE INDEX attachments_app ON attachments(application_id, id);
CREATE INDEX attachments_sha ON attachments(sha256);

-- What each submission contained: the form and the attachments as the reviewer received them.
CREATE TABLE application_submissions (
  id              INTEGER PRIMARY KEY,
  application_id  INTEGER NOT NULL REFERENCES applications(id),
  submission_no   INTEGER NOT NULL CHECK (submission_no >= 1),
  submitted_at    TEXT NOT NULL,
  actor_type      TEXT NOT NULL CHECK (actor_type IN ('staff', 'applicant', 'system')),
  actor_id        INTEGER,
  form            TEXT NOT NULL CHECK (json_valid(form)),
  attachments     TEXT NOT NULL CHECK (json_valid(attachments)),
  UNIQUE (application_id, submission_no)
) STRICT;
