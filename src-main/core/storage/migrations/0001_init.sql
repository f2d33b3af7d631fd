-- QualDesk initial schema. Never edit a landed migration: add the next file.
-- Times are ISO 8601 text with the +08:00 offset unless the column says _ms (epoch milliseconds).

CREATE TABLE settings (
  key         TEXT PRIMARY KEY,
  value       TEXT NOT NULL CHECK (json_valid(value)),
  updated_at  TEXT NOT NULL,
  updated_by  INTEGER
) STRICT;

CREATE TABLE staff (
  id                    INTEGER PRIMARY KEY,
  username              TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name          TEXT NOT NULL,
  password_hash         TEXT NOT NULL,
  roles                 TEXT NOT NULL CHECK (json_valid(roles)),
  active                INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  must_change_password  INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
  failed_logins         INTEGER NOT NULL DEFAULT 0,
  locked_until_ms       INTEGER,
  last_login_at         TEXT,
  created_at            TEXT NOT NULL,
  updated_at            TEXT NOT NULL
) STRICT;

CREATE TABLE staff_sessions (
  token_hash    TEXT PRIMARY KEY,
  staff_id      INTEGER NOT NULL REFERENCES staff(id),
  created_at    TEXT NOT NULL,
  last_seen_ms  INTEGER NOT NULL,
  revoked       INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
) STRICT;
CREATE INDEX staff_sessions_staff ON staff_sessions(staff_id);

-- Append-only: the triggers below refuse every UPDATE and DELETE.
CREATE TABLE audit_log (
  id           INTEGER PRIMARY KEY,
  at           TEXT NOT NULL,
  actor_type   TEXT NOT NULL CHECK (actor_type IN ('staff', 'applicant', 'system')),
  actor_id     INTEGER,
  actor_name   TEXT,
  action       TEXT NOT NULL,
  target_type  TEXT,
  target_id    TEXT,
  detail       TEXT CHECK (detail IS NULL OR json_valid(detail)),
  ip           TEXT
) STRICT;
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_action ON audit_log(action, at);
CREATE INDEX audit_log_actor ON audit_log(actor_type, actor_id, at);
CREATE INDEX audit_log_target ON audit_log(target_type, target_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE training_schools (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  address     TEXT NOT NULL,
  phone       TEXT NOT NULL,
  licence_no  TEXT NOT NULL,
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE exam_venues (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  address     TEXT NOT NULL,
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE exam_sessions (
  id                 INTEGER PRIMARY KEY,
  venue_id           INTEGER NOT NULL REFERENCES exam_venues(id),
  name               TEXT NOT NULL,
  exam_date          TEXT NOT NULL,
  start_time         TEXT NOT NULL,
  end_time           TEXT NOT NULL,
  subjects           TEXT NOT NULL CHECK (subjects IN ('theory', 'practical', 'both')),
  capacity           INTEGER NOT NULL CHECK (capacity > 0),
  booked             INTEGER NOT NULL DEFAULT 0 CHECK (booked >= 0 AND booked <= capacity),
  booking_opens_at   TEXT NOT NULL,
  booking_closes_at  TEXT NOT NULL,
  status             TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'cancelled', 'finished')),
  created_at         TEXT NOT NULL
) STRICT;
CREATE INDEX exam_sessions_date ON exam_sessions(exam_date, status);

CREATE TABLE applicants (
  id             INTEGER PRIMARY KEY,
  id_number      TEXT NOT NULL UNIQUE,
  name           TEXT NOT NULL,
  phone          TEXT NOT NULL,
  password_hash  TEXT,
  created_at     TEXT NOT NULL
) STRICT;

CREATE TABLE applications (
  id                  INTEGER PRIMARY KEY,
  applicant_id        INTEGER REFERENCES applicants(id),
  category            TEXT NOT NULL CHECK (category IN ('passenger', 'freight')),
  application_type    TEXT NOT NULL CHECK (application_type IN ('initial', 'add_class')),
  stage               TEXT NOT NULL,
  id_number           TEXT NOT NULL,
  name                TEXT NOT NULL,
  phone               TEXT,
  training_school_id  INTEGER REFERENCES training_schools(id),
  training_no         TEXT UNIQUE,
  form                TEXT NOT NULL CHECK (json_valid(form)),
  submitted_at        TEXT,
  stage_entered_at    TEXT NOT NULL,
  entered_by_staff    INTEGER REFERENCES staff(id),
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL
) STRICT;
-- Queues: a page of one stage (and category), oldest first.
CREATE INDEX applications_queue ON applications(stage, category, submitted_at, id);
CREATE INDEX applications_stage_time ON applications(stage, submitted_at, id);
CREATE INDEX applications_id_number ON applications(id_number);
CREATE INDEX applications_name ON applications(name);
CREATE INDEX applications_phone ON applications(phone);
CREATE INDEX applications_applicant ON applications(applicant_id);

-- The application's history: every transition and decision, as the clerk reads it.
CREATE TABLE application_events (
  id              INTEGER PRIMARY KEY,
  application_id  INTEGER NOT NULL REFERENCES applications(id),
  at              TEXT NOT NULL,
  event           TEXT NOT NULL,
  from_stage      TEXT,
  to_stage        TEXT,
  actor_type      TEXT NOT NULL CHECK (actor_type IN ('staff', 'applicant', 'system')),
  actor_id        INTEGER,
  actor_name      TEXT,
  detail          TEXT CHECK (detail IS NULL OR json_valid(detail))
) STRICT;
CREATE INDEX application_events_app ON application_events(application_id, id);
