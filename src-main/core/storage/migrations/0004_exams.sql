-- Exams (issue 5): payment orders and the money that moved, attempt credits, bookings, attempts and
-- scores, score import batches. exam_venues and exam_sessions come from 0001 and are extended here.

ALTER TABLE exam_sessions ADD COLUMN created_by INTEGER REFERENCES staff(id);
ALTER TABLE exam_sessions ADD COLUMN updated_at TEXT;
ALTER TABLE exam_sessions ADD COLUMN cancelled_at TEXT;
ALTER TABLE exam_sessions ADD COLUMN cancelled_by INTEGER REFERENCES staff(id);
ALTER TABLE exam_sessions ADD COLUMN cancel_reason TEXT;
-- When attendance was closed and the no-shows were applied (by a clerk or automatically after the end).
ALTER TABLE exam_sessions ADD COLUMN closed_at TEXT;
CREATE INDEX exam_sessions_status ON exam_sessions(status, exam_date);

-- A payment order: exactly what was due when it was made, priced at that moment (a later change of
-- the fee settings never touches an existing order).
CREATE TABLE payment_orders (
  id               INTEGER PRIMARY KEY,
  order_no         TEXT NOT NULL UNIQUE,           -- out_trade_no at the provider
  application_id   INTEGER NOT NULL REFERENCES applications(id),
  provider         TEXT NOT NULL CHECK (provider IN ('wechat', 'counter')),
  amount_fen       INTEGER NOT NULL CHECK (amount_fen > 0),
  items            TEXT NOT NULL CHECK (json_valid(items)),
  -- duplicate: paid, but every item was already paid by another order: to be refunded, never credited.
  status           TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'expired', 'duplicate', 'refunded')),
  qr_content       TEXT,
  expires_at       TEXT,
  created_at       TEXT NOT NULL,
  created_by_type  TEXT NOT NULL CHECK (created_by_type IN ('staff', 'applicant', 'system')),
  created_by_id    INTEGER,
  paid_at          TEXT,
  paid_amount_fen  INTEGER,
  provider_txn_id  TEXT,
  counter_method   TEXT CHECK (counter_method IS NULL OR counter_method IN ('cash', 'card')),
  receipt_no       TEXT,
  recorded_by      INTEGER REFERENCES staff(id),
  refund_reason    TEXT,
  refunded_at      TEXT,
  refunded_by      INTEGER REFERENCES staff(id),
  refund_ref       TEXT
) STRICT;
CREATE INDEX payment_orders_app ON payment_orders(application_id, id);
CREATE INDEX payment_orders_created ON payment_orders(created_at);
CREATE INDEX payment_orders_paid ON payment_orders(paid_at);
CREATE INDEX payment_orders_status ON payment_orders(status, id);
CREATE UNIQUE INDEX payment_orders_receipt ON payment_orders(receipt_no) WHERE receipt_no IS NOT NULL;
CREATE UNIQUE INDEX payment_orders_txn ON payment_orders(provider, provider_txn_id) WHERE provider_txn_id IS NOT NULL;

-- Every movement of money, as the provider reported it or the clerk recorded it: the reconciliation
-- is built from this table. A provider reference is recorded once, so a replayed callback adds nothing.
CREATE TABLE payments (
  id            INTEGER PRIMARY KEY,
  order_id      INTEGER NOT NULL REFERENCES payment_orders(id),
  kind          TEXT NOT NULL CHECK (kind IN ('payment', 'refund')),
  provider      TEXT NOT NULL CHECK (provider IN ('wechat', 'counter')),
  amount_fen    INTEGER NOT NULL CHECK (amount_fen > 0),
  provider_ref  TEXT NOT NULL,
  at            TEXT NOT NULL,
  recorded_at   TEXT NOT NULL,
  staff_id      INTEGER REFERENCES staff(id),
  detail        TEXT CHECK (detail IS NULL OR json_valid(detail)),
  UNIQUE (provider, kind, provider_ref)
) STRICT;
CREATE INDEX payments_at ON payments(at);
CREATE INDEX payments_order ON payments(order_id);

-- What a paid order bought: attempts of a subject. The unique key makes crediting the same item twice
-- impossible, whatever the order of callbacks.
CREATE TABLE payment_credits (
  id              INTEGER PRIMARY KEY,
  application_id  INTEGER NOT NULL REFERENCES applications(id),
  item_key        TEXT NOT NULL,                   -- theory:initial, practical:retake:3, …
  subject         TEXT NOT NULL CHECK (subject IN ('theory', 'practical')),
  kind            TEXT NOT NULL CHECK (kind IN ('initial', 'retake')),
  attempts        INTEGER NOT NULL CHECK (attempts > 0),
  amount_fen      INTEGER NOT NULL CHECK (amount_fen >= 0),
  order_id        INTEGER NOT NULL REFERENCES payment_orders(id),
  credited_at     TEXT NOT NULL,
  UNIQUE (application_id, item_key)
) STRICT;

CREATE TABLE exam_bookings (
  id              INTEGER PRIMARY KEY,
  application_id  INTEGER NOT NULL REFERENCES applications(id),
  session_id      INTEGER NOT NULL REFERENCES exam_sessions(id),
  theory          INTEGER NOT NULL CHECK (theory IN (0, 1)),
  practical       INTEGER NOT NULL CHECK (practical IN (0, 1)),
  -- booked → present (marked at the door) → scored; or cancelled (by the applicant or a clerk),
  -- released (the session was cancelled), no_show (失约).
  status          TEXT NOT NULL CHECK (status IN ('booked', 'present', 'scored', 'no_show', 'cancelled', 'released')),
  booked_at       TEXT NOT NULL,
  booked_by_type  TEXT NOT NULL CHECK (booked_by_type IN ('staff', 'applicant')),
  booked_by_id    INTEGER,
  attendance_at   TEXT,
  attendance_by   INTEGER REFERENCES staff(id),
  ended_at        TEXT,
  ended_by_type   TEXT CHECK (ended_by_type IS NULL OR ended_by_type IN ('staff', 'applicant', 'system')),
  ended_by_id     INTEGER,
  CHECK (theory + practical >= 1)
) STRICT;
-- One active booking per subject and application, enforced by the database itself.
CREATE UNIQUE INDEX exam_bookings_one_theory ON exam_bookings(application_id) WHERE theory = 1 AND status IN ('booked', 'present');
CREATE UNIQUE INDEX exam_bookings_one_practical ON exam_bookings(application_id) WHERE practical = 1 AND status IN ('booked', 'present');
CREATE INDEX exam_bookings_session ON exam_bookings(session_id, status);
CREATE INDEX exam_bookings_app ON exam_bookings(application_id, id);

CREATE TABLE score_import_batches (
  id              INTEGER PRIMARY KEY,
  file_name       TEXT NOT NULL,
  file_sha256     TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('previewed', 'committed', 'discarded')),
  total_rows      INTEGER NOT NULL,
  ok_rows         INTEGER NOT NULL,
  error_rows      INTEGER NOT NULL,
  unchanged_rows  INTEGER NOT NULL,
  applied_rows    INTEGER,
  -- the checked rows to apply at commit: the file is read once
  rows            TEXT NOT NULL CHECK (json_valid(rows)),
  created_at      TEXT NOT NULL,
  created_by      INTEGER REFERENCES staff(id),
  committed_at    TEXT,
  committed_by    INTEGER REFERENCES staff(id)
) STRICT;
CREATE INDEX score_import_batches_sha ON score_import_batches(file_sha256);

-- One sitting of one subject: a score, or a no-show (失约). Each uses one attempt.
CREATE TABLE exam_attempts (
  id               INTEGER PRIMARY KEY,
  application_id   INTEGER NOT NULL REFERENCES applications(id),
  subject          TEXT NOT NULL CHECK (subject IN ('theory', 'practical')),
  booking_id       INTEGER NOT NULL REFERENCES exam_bookings(id),
  session_id       INTEGER NOT NULL REFERENCES exam_sessions(id),
  exam_date        TEXT NOT NULL,
  outcome          TEXT NOT NULL CHECK (outcome IN ('passed', 'failed', 'no_show')),
  score            INTEGER CHECK (score IS NULL OR (score BETWEEN 0 AND 100)),
  pass_mark        INTEGER,
  source           TEXT NOT NULL CHECK (source IN ('import', 'attendance', 'auto')),
  import_batch_id  INTEGER REFERENCES score_import_batches(id),
  recorded_at      TEXT NOT NULL,
  recorded_by      INTEGER REFERENCES staff(id),
  UNIQUE (booking_id, subject)
) STRICT;
CREATE INDEX exam_attempts_app ON exam_attempts(application_id, subject, id);
CREATE INDEX exam_attempts_date ON exam_attempts(exam_date);
