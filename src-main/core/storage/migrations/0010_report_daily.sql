-- Reports (issue 8), added after 0008 was released: daily figures kept by triggers, so that
-- the dashboard stays under 100 ms over 200,000 applications whatever range is chosen: a year
-- reads ~365 rows per figure instead of every event, payment and attempt of that year. Each table
-- is filled from what is already there, then kept by the triggers below; the lists behind the
-- figures still read the source tables.

-- Submitted (first submissions) and issued (certificate printed) per day.
CREATE TABLE report_daily_events (
  event  TEXT NOT NULL,
  day    TEXT NOT NULL,
  n      INTEGER NOT NULL,
  PRIMARY KEY (event, day)
) STRICT, WITHOUT ROWID;
INSERT INTO report_daily_events (event, day, n)
  SELECT event, substr(at, 1, 10), count(*) FROM application_events
  WHERE event IN ('submit', 'certificate_printed') GROUP BY event, substr(at, 1, 10);
CREATE TRIGGER report_daily_events_insert AFTER INSERT ON application_events
WHEN NEW.event IN ('submit', 'certificate_printed')
BEGIN
  INSERT INTO report_daily_events (event, day, n) VALUES (NEW.event, substr(NEW.at, 1, 10), 1)
    ON CONFLICT (event, day) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER report_daily_events_delete AFTER DELETE ON application_events
WHEN OLD.event IN ('submit', 'certificate_printed')
BEGIN
  UPDATE report_daily_events SET n = n - 1 WHERE event = OLD.event AND day = substr(OLD.at, 1, 10);
END;
CREATE TRIGGER report_daily_events_update AFTER UPDATE OF event, at ON application_events
WHEN OLD.event IN ('submit', 'certificate_printed') OR NEW.event IN ('submit', 'certificate_printed')
BEGIN
  UPDATE report_daily_events SET n = n - 1 WHERE event = OLD.event AND day = substr(OLD.at, 1, 10);
  INSERT INTO report_daily_events (event, day, n)
    SELECT NEW.event, substr(NEW.at, 1, 10), 1 WHERE NEW.event IN ('submit', 'certificate_printed')
    ON CONFLICT (event, day) DO UPDATE SET n = n + 1;
END;

-- Money per day (payments is append-only: every movement is a row).
CREATE TABLE report_daily_fees (
  kind  TEXT NOT NULL,
  day   TEXT NOT NULL,
  n     INTEGER NOT NULL,
  fen   INTEGER NOT NULL,
  PRIMARY KEY (kind, day)
) STRICT, WITHOUT ROWID;
INSERT INTO report_daily_fees (kind, day, n, fen)
  SELECT kind, substr(at, 1, 10), count(*), sum(amount_fen) FROM payments GROUP BY kind, substr(at, 1, 10);
CREATE TRIGGER report_daily_fees_insert AFTER INSERT ON payments
BEGIN
  INSERT INTO report_daily_fees (kind, day, n, fen) VALUES (NEW.kind, substr(NEW.at, 1, 10), 1, NEW.amount_fen)
    ON CONFLICT (kind, day) DO UPDATE SET n = n + 1, fen = fen + excluded.fen;
END;
CREATE TRIGGER report_daily_fees_delete AFTER DELETE ON payments
BEGIN
  UPDATE report_daily_fees SET n = n - 1, fen = fen - OLD.amount_fen WHERE kind = OLD.kind AND day = substr(OLD.at, 1, 10);
END;

-- Exam attempts per day, school (0 = self-study), subject and outcome. The school is the
-- application's: it is chosen on the form, which can no longer change once the applicant sits
-- exams, so a correction finds the attempt under the same school it was counted in.
CREATE TABLE report_daily_attempts (
  day        TEXT NOT NULL,
  school_id  INTEGER NOT NULL,
  subject    TEXT NOT NULL,
  outcome    TEXT NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (day, school_id, subject, outcome)
) STRICT, WITHOUT ROWID;
INSERT INTO report_daily_attempts (day, school_id, subject, outcome, n)
  SELECT t.exam_date, coalesce(a.training_school_id, 0), t.subject, t.outcome, count(*)
  FROM exam_attempts t JOIN applications a ON a.id = t.application_id
  GROUP BY t.exam_date, coalesce(a.training_school_id, 0), t.subject, t.outcome;
CREATE TRIGGER report_daily_attempts_insert AFTER INSERT ON exam_attempts
BEGIN
  INSERT INTO report_daily_attempts (day, school_id, subject, outcome, n)
    VALUES (NEW.exam_date, coalesce((SELECT training_school_id FROM applications WHERE id = NEW.application_id), 0), NEW.subject, NEW.outcome, 1)
    ON CONFLICT (day, school_id, subject, outcome) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER report_daily_attempts_delete AFTER DELETE ON exam_attempts
BEGIN
  UPDATE report_daily_attempts SET n = n - 1
  WHERE day = OLD.exam_date AND subject = OLD.subject AND outcome = OLD.outcome
    AND school_id = coalesce((SELECT training_school_id FROM applications WHERE id = OLD.application_id), 0);
END;
CREATE TRIGGER report_daily_attempts_update AFTER UPDATE OF exam_date, subject, outcome, application_id ON exam_attempts
WHEN OLD.exam_date IS NOT NEW.exam_date OR OLD.subject IS NOT NEW.subject OR OLD.outcome IS NOT NEW.outcome OR OLD.application_id IS NOT NEW.application_id
BEGIN
  UPDATE report_daily_attempts SET n = n - 1
  WHERE day = OLD.exam_date AND subject = OLD.subject AND outcome = OLD.outcome
    AND school_id = coalesce((SELECT training_school_id FROM applications WHERE id = OLD.application_id), 0);
  INSERT INTO report_daily_attempts (day, school_id, subject, outcome, n)
    VALUES (NEW.exam_date, coalesce((SELECT training_school_id FROM applications WHERE id = NEW.application_id), 0), NEW.subject, NEW.outcome, 1)
    ON CONFLICT (day, school_id, subject, outcome) DO UPDATE SET n = n + 1;
END;
