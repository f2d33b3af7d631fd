-- The review desk (issue 4), added after 0003 was released: how many applications each stage
-- holds, by category and type, kept by triggers. The menu badges and the queue totals read a
-- handful of rows instead of counting 100,000 index entries (bench/review-queue.bench.ts).
CREATE TABLE application_counts (
  stage             TEXT NOT NULL,
  category          TEXT NOT NULL,
  application_type  TEXT NOT NULL,
  n                 INTEGER NOT NULL,
  PRIMARY KEY (stage, category, application_type)
) STRICT, WITHOUT ROWID;
INSERT INTO application_counts (stage, category, application_type, n)
  SELECT stage, category, application_type, count(*) FROM applications GROUP BY stage, category, application_type;
CREATE TRIGGER application_counts_insert AFTER INSERT ON applications
BEGIN
  INSERT INTO application_counts (stage, category, application_type, n) VALUES (NEW.stage, NEW.category, NEW.application_type, 1)
    ON CONFLICT (stage, category, application_type) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER application_counts_update AFTER UPDATE OF stage, category, application_type ON applications
WHEN OLD.stage IS NOT NEW.stage OR OLD.category IS NOT NEW.category OR OLD.application_type IS NOT NEW.application_type
BEGIN
  UPDATE application_counts SET n = n - 1
    WHERE stage = OLD.stage AND category = OLD.category AND application_type = OLD.application_type;
  INSERT INTO application_counts (stage, category, application_type, n) VALUES (NEW.stage, NEW.category, NEW.application_type, 1)
    ON CONFLICT (stage, category, application_type) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER application_counts_delete AFTER DELETE ON applications
BEGIN
  UPDATE application_counts SET n = n - 1
    WHERE stage = OLD.stage AND category = OLD.category AND application_type = OLD.application_type;
END;
