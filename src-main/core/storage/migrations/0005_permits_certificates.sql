-- Permits and certificates (issue 6): permit decisions, certificates, printed-serial stock,
-- print jobs and every print (spoiled and voided serials included), pickup and mailing, the
-- overlay (套打) calibration, SMS templates and the SMS outbox with its retries.

-- 许可审批: one decision per application (approve, or reject with every reason listed).
CREATE TABLE permit_decisions (
  id               INTEGER PRIMARY KEY,
  application_id   INTEGER NOT NULL UNIQUE REFERENCES applications(id),
  decision         TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
  reasons          TEXT NOT NULL CHECK (json_valid(reasons)),   -- ["…", …]; empty for an approval
  note             TEXT,
  batch_id         TEXT,                                        -- bulk decisions share one id
  decided_at       TEXT NOT NULL,
  decided_by       INTEGER NOT NULL REFERENCES staff(id),
  decided_by_name  TEXT NOT NULL,
  CHECK (decision = 'approve' OR json_array_length(reasons) > 0)
) STRICT;
CREATE INDEX permit_decisions_at ON permit_decisions(decided_at);

-- Blank card stock (证件纸) with its pre-printed 10-digit serials, entered by the administrator.
-- next_serial walks up the range and never goes back: a serial is used once, printed or voided.
CREATE TABLE certificate_stock_ranges (
  id            INTEGER PRIMARY KEY,
  first_serial  TEXT NOT NULL CHECK (length(first_serial) = 10 AND first_serial NOT GLOB '*[^0-9]*'),
  last_serial   TEXT NOT NULL CHECK (length(last_serial) = 10 AND last_serial NOT GLOB '*[^0-9]*'),
  next_serial   TEXT CHECK (next_serial IS NULL OR (length(next_serial) = 10 AND next_serial BETWEEN first_serial AND last_serial)),
  note          TEXT,
  created_at    TEXT NOT NULL,
  created_by    INTEGER REFERENCES staff(id),
  CHECK (first_serial <= last_serial)
) STRICT;
CREATE INDEX certificate_stock_ranges_next ON certificate_stock_ranges(next_serial);

-- The certificate (从业资格证): number = the holder's ID number; a reprint or replacement keeps the
-- row and its number and takes a new serial. An add-class (增驾) certificate supersedes the earlier one.
CREATE TABLE certificates (
  id                 INTEGER PRIMARY KEY,
  application_id     INTEGER NOT NULL UNIQUE REFERENCES applications(id),
  certificate_no     TEXT NOT NULL,
  category           TEXT NOT NULL CHECK (category IN ('passenger', 'freight')),
  holder_name        TEXT NOT NULL,
  gender             TEXT NOT NULL CHECK (gender IN ('M', 'F')),
  birth_date         TEXT NOT NULL,
  nationality        TEXT NOT NULL,
  address            TEXT NOT NULL,
  vehicle_classes    TEXT NOT NULL CHECK (json_valid(vehicle_classes)),
  first_issued_on    TEXT NOT NULL,
  issued_on          TEXT NOT NULL,
  valid_until        TEXT NOT NULL,
  issuing_authority  TEXT NOT NULL,
  photo_sha256       TEXT,
  status             TEXT NOT NULL CHECK (status IN ('active', 'superseded', 'revoked')),
  current_serial     TEXT,
  superseded_by      INTEGER REFERENCES certificates(id),
  created_at         TEXT NOT NULL,
  created_by         INTEGER REFERENCES staff(id)
) STRICT;
CREATE UNIQUE INDEX certificates_one_active ON certificates(certificate_no, category) WHERE status = 'active';
CREATE INDEX certificates_no ON certificates(certificate_no);
CREATE INDEX certificates_valid_until ON certificates(valid_until);

-- One print job: one PDF (one page per card) sent to the printer or opened in the browser.
CREATE TABLE certificate_print_jobs (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL CHECK (kind IN ('issue', 'reprint', 'replacement', 'spoiled_retry')),
  layout           TEXT NOT NULL CHECK (layout IN ('full', 'overlay')),
  pages            INTEGER NOT NULL CHECK (pages > 0),
  file_name        TEXT NOT NULL,
  file_sha256      TEXT NOT NULL,
  offsets          TEXT CHECK (offsets IS NULL OR json_valid(offsets)),
  created_at       TEXT NOT NULL,
  created_by       INTEGER NOT NULL REFERENCES staff(id),
  created_by_name  TEXT NOT NULL
) STRICT;
CREATE INDEX certificate_print_jobs_at ON certificate_print_jobs(created_at);

-- Every serial ever used, exactly once (UNIQUE): a printed card, a spoiled print, a card voided
-- by a reprint or replacement, or a blank voided from stock (certificate_id NULL).
CREATE TABLE certificate_prints (
  id                INTEGER PRIMARY KEY,
  serial            TEXT NOT NULL UNIQUE CHECK (length(serial) = 10),
  range_id          INTEGER NOT NULL REFERENCES certificate_stock_ranges(id),
  certificate_id    INTEGER REFERENCES certificates(id),
  job_id            INTEGER REFERENCES certificate_print_jobs(id),
  reason            TEXT NOT NULL CHECK (reason IN ('issue', 'reprint', 'replacement', 'spoiled_retry', 'blank_void')),
  -- printed: the card in use; spoiled: ruined in printing; superseded: replaced by a later print;
  -- voided: a blank taken out of stock
  status            TEXT NOT NULL CHECK (status IN ('printed', 'spoiled', 'superseded', 'voided')),
  printed_at        TEXT NOT NULL,
  printed_by        INTEGER NOT NULL REFERENCES staff(id),
  printed_by_name   TEXT NOT NULL,
  voided_at         TEXT,
  voided_by         INTEGER REFERENCES staff(id),
  void_reason       TEXT,
  CHECK (certificate_id IS NOT NULL OR reason = 'blank_void')
) STRICT;
CREATE INDEX certificate_prints_cert ON certificate_prints(certificate_id, id);
CREATE INDEX certificate_prints_job ON certificate_prints(job_id);
CREATE INDEX certificate_prints_at ON certificate_prints(printed_at);

-- 领证: collected at the counter (the holder or an agent, identity checked) or mailed (waybill).
CREATE TABLE certificate_handovers (
  id                   INTEGER PRIMARY KEY,
  certificate_id       INTEGER NOT NULL REFERENCES certificates(id),
  application_id       INTEGER NOT NULL REFERENCES applications(id),
  serial               TEXT NOT NULL,
  method               TEXT NOT NULL CHECK (method IN ('pickup', 'mail')),
  collector            TEXT CHECK (collector IS NULL OR collector IN ('holder', 'agent')),
  collector_name       TEXT,
  collector_id_number  TEXT,
  id_checked           INTEGER NOT NULL DEFAULT 0 CHECK (id_checked IN (0, 1)),
  carrier              TEXT,
  waybill_no           TEXT,
  mail_address         TEXT,
  note                 TEXT,
  handed_over_at       TEXT NOT NULL,
  handed_over_by       INTEGER NOT NULL REFERENCES staff(id),
  handed_over_by_name  TEXT NOT NULL,
  CHECK ((method = 'pickup' AND collector IS NOT NULL AND collector_name IS NOT NULL AND collector_id_number IS NOT NULL AND id_checked = 1)
      OR (method = 'mail' AND waybill_no IS NOT NULL AND carrier IS NOT NULL))
) STRICT;
CREATE INDEX certificate_handovers_cert ON certificate_handovers(certificate_id);
CREATE INDEX certificate_handovers_app ON certificate_handovers(application_id);
CREATE INDEX certificate_handovers_at ON certificate_handovers(handed_over_at);

-- The 套打 overlay's offsets for pre-printed card stock, calibrated by the clerk with a test print.
CREATE TABLE print_calibration (
  profile      TEXT PRIMARY KEY,
  offset_x_mm  REAL NOT NULL CHECK (offset_x_mm BETWEEN -30 AND 30),
  offset_y_mm  REAL NOT NULL CHECK (offset_y_mm BETWEEN -30 AND 30),
  updated_at   TEXT NOT NULL,
  updated_by   INTEGER REFERENCES staff(id)
) STRICT;

-- SMS templates the administrator edits. {name}, {trainingNo}, {reasons}, … are filled per message.
CREATE TABLE sms_templates (
  key         TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  body        TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 500),
  enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  updated_at  TEXT NOT NULL,
  updated_by  INTEGER REFERENCES staff(id)
) STRICT;

-- Every message to an applicant. Written in the same transaction as the decision it reports
-- (dedupe_key: one message per event and template), sent after the commit, retried on failure.
CREATE TABLE sms_outbox (
  id               INTEGER PRIMARY KEY,
  dedupe_key       TEXT NOT NULL UNIQUE,
  template_key     TEXT NOT NULL,
  application_id   INTEGER REFERENCES applications(id),
  event_id         INTEGER,
  phone            TEXT NOT NULL,
  text             TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms  INTEGER NOT NULL,
  last_error       TEXT,
  provider         TEXT,
  created_at       TEXT NOT NULL,
  sent_at          TEXT,
  updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX sms_outbox_due ON sms_outbox(status, next_attempt_ms);
CREATE INDEX sms_outbox_created ON sms_outbox(created_at, id);
CREATE INDEX sms_outbox_app ON sms_outbox(application_id, id);

-- How far the notifier has read application_events (one row).
CREATE TABLE sms_event_cursor (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  last_event_id  INTEGER NOT NULL
) STRICT;
-- Existing history is not announced again: start after the newest event.
INSERT INTO sms_event_cursor (id, last_event_id) SELECT 1, coalesce(max(id), 0) FROM application_events;
