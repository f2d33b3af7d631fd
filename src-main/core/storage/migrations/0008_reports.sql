-- Reports (issue 8): the export jobs supervisors start (每个导出都有记录，文件过期后删除), and the
-- indexes that keep the dashboard a handful of index range counts over 200,000 applications.

-- One export: what was asked (kind + filters), how far it got, where the file is. The file holds
-- personal data, so it lives only under the data folder, is handed out only to the staff member
-- who made it, and is deleted after a day (status 'expired').
CREATE TABLE export_jobs (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL CHECK (kind IN ('applications', 'certificates', 'exam_results', 'fees', 'audit')),
  filters          TEXT NOT NULL CHECK (json_valid(filters)),
  status           TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'expired')),
  total_rows       INTEGER,
  done_rows        INTEGER NOT NULL DEFAULT 0,
  file_name        TEXT,
  file_path        TEXT,
  size             INTEGER,
  error            TEXT,
  downloads        INTEGER NOT NULL DEFAULT 0,
  created_by       INTEGER NOT NULL REFERENCES staff(id),
  created_by_name  TEXT NOT NULL,
  created_at       TEXT NOT NULL,
  finished_at      TEXT
) STRICT;
CREATE INDEX export_jobs_staff ON export_jobs(created_by, id);
CREATE INDEX export_jobs_status ON export_jobs(status, created_at);

-- Submitted and issued per day: the history's events of one kind over a date range.
CREATE INDEX application_events_event_at ON application_events(event, at);
-- Overdue per desk: applications of a stage that entered it before a cut-off.
CREATE INDEX applications_stage_entered ON applications(stage, stage_entered_at);
-- The application ledger export: a date range of submissions, in order.
CREATE INDEX applications_submitted_at ON applications(submitted_at, id);
-- When an application entered a stage or passed a step (acceptance, permit approval): one covering
-- walk of its few history rows per application, no table lookups.
CREATE INDEX application_events_app_step ON application_events(application_id, event, to_stage, at);
-- Pass rates per subject and school, fees per day: covering range scans over the chosen dates.
CREATE INDEX exam_attempts_date_outcome ON exam_attempts(exam_date, subject, outcome, application_id);
CREATE INDEX payments_at_kind ON payments(at, kind, amount_fen);
-- The school of an attempt's application without reading the (large) application row.
CREATE INDEX applications_id_school ON applications(id, training_school_id);
-- "Never booked into a session": one covering seek per application waiting for its exam.
CREATE INDEX exam_bookings_app_status ON exam_bookings(application_id, status);
