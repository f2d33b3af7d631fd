-- The review desk (issue 4): claims (locks), the deficiency checklist, the holiday calendar,
-- review decisions, training numbers, and the indexes that page 100,000+ applications.

-- A clerk's claim on an application waiting in a review stage: at most one per application (the
-- primary key is what makes "two clerks claim at once: exactly one wins" hold even across
-- processes). A claim is live while its stage is still the application's stage and it has been
-- touched within the idle limit; an expired claim is simply overwritten by the next claimer.
CREATE TABLE review_claims (
  application_id  INTEGER PRIMARY KEY REFERENCES applications(id),
  stage           TEXT NOT NULL CHECK (stage IN ('pre_review', 'initial_review')),
  staff_id        INTEGER NOT NULL REFERENCES staff(id),
  staff_name      TEXT NOT NULL,
  claimed_at      TEXT NOT NULL,
  last_active_ms  INTEGER NOT NULL
) STRICT;
CREATE INDEX review_claims_staff ON review_claims(staff_id, stage);

-- The reasons a reviewer ticks when returning an application (一次性告知), per form field or
-- attachment kind ('*' = any attachment / any field). Administrators edit this list; a retired
-- reason is deactivated, never deleted, so that old decisions still read correctly.
CREATE TABLE deficiency_reasons (
  id          INTEGER PRIMARY KEY,
  applies_to  TEXT NOT NULL CHECK (applies_to IN ('field', 'attachment')),
  target      TEXT NOT NULL,
  label       TEXT NOT NULL,
  sort        INTEGER NOT NULL DEFAULT 0,
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  UNIQUE (applies_to, target, label)
) STRICT;

INSERT INTO deficiency_reasons (applies_to, target, label, sort, created_at, updated_at) VALUES
  ('attachment', '*', '扫描件不清晰，无法辨认', 10, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('attachment', '*', '手机翻拍屏幕或纸件，不是扫描件', 20, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('attachment', '*', '图片不完整（边角缺失或被遮挡）', 30, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('attachment', '*', '上传的材料与要求的材料不符', 40, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('attachment', '*', '材料缺失，请补充上传', 50, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('attachment', 'id_front', '身份证已过有效期', 10, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('attachment', 'id_front', '身份证信息与填报信息不一致', 20, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('attachment', 'id_back', '身份证已过有效期', 10, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('attachment', 'licence', '驾驶证已过有效期', 10, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('attachment', 'licence', '正副本未整合在同一页面', 20, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('attachment', 'licence', '准驾车型与填报不一致', 30, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('attachment', 'no_accident', '证明超过有效期或非近期开具', 10, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('attachment', 'no_accident', '三年内有重大以上交通责任事故记录', 20, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('attachment', 'no_accident', '缺少满分记录或准驾车型变更证明', 30, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('attachment', 'photo', '照片非白色背景', 10, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('attachment', 'photo', '非近期免冠正面照片', 20, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('attachment', 'photo', '照片模糊、过暗或有反光', 30, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('attachment', 'training_cert', '结业证正反面未合并为一张图像', 10, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('attachment', 'training_cert', '结业证准驾车型与申请不符', 20, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('attachment', 'old_certificate', '未上传含二维码及有效期的对开页', 10, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('field', '*', '填写内容与证件不一致', 10, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('field', '*', '填写内容不完整或有误', 20, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('field', 'phone', '联系电话无法接通或非本人手机号', 10, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('field', 'licenceFirstIssued', '驾驶证初领日期不满1年', 10, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('field', 'licenceClasses', '准驾车型不符合申请类别要求', 10, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('field', 'currentAddress', '现住地址不详细', 10, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00'),
  ('field', 'mailAddress', '邮寄地址不详细', 10, '2026-11-25T00:00:00+08:00', '2026-11-25T00:00:00+08:00');

-- The holiday calendar for working-day deadlines: statutory holidays (kind 'holiday') and the
-- weekend days worked in exchange (调休, kind 'workday'). Plain weekends need no row.
-- Seeded with the State Council's 2026 arrangement (国办发明电〔2025〕7号); the administrator
-- adds each following year when it is published.
CREATE TABLE holidays (
  date        TEXT PRIMARY KEY CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  kind        TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name        TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  updated_by  INTEGER REFERENCES staff(id)
) STRICT;

INSERT INTO holidays (date, kind, name, updated_at) VALUES
  ('2026-01-01', 'holiday', '元旦', '2026-11-25T00:00:00+08:00'),
  ('2026-01-02', 'holiday', '元旦', '2026-11-25T00:00:00+08:00'),
  ('2026-01-03', 'holiday', '元旦', '2026-11-25T00:00:00+08:00'),
  ('2026-01-04', 'workday', '元旦调休上班', '2026-11-25T00:00:00+08:00'),
  ('2026-02-14', 'workday', '春节调休上班', '2026-11-25T00:00:00+08:00'),
  ('2026-02-15', 'holiday', '春节', '2026-11-25T00:00:00+08:00'),
  ('2026-02-16', 'holiday', '春节', '2026-11-25T00:00:00+08:00'),
  ('2026-02-17', 'holiday', '春节', '2026-11-25T00:00:00+08:00'),
  ('2026-02-18', 'holiday', '春节', '2026-11-25T00:00:00+08:00'),
  ('2026-02-19', 'holiday', '春节', '2026-11-25T00:00:00+08:00'),
  ('2026-02-20', 'holiday', '春节', '2026-11-25T00:00:00+08:00'),
  ('2026-02-21', 'holiday', '春节', '2026-11-25T00:00:00+08:00'),
  ('2026-02-22', 'holiday', '春节', '2026-11-25T00:00:00+08:00'),
  ('2026-02-23', 'holiday', '春节', '2026-11-25T00:00:00+08:00'),
  ('2026-02-28', 'workday', '春节调休上班', '2026-11-25T00:00:00+08:00'),
  ('2026-04-04', 'holiday', '清明节', '2026-11-25T00:00:00+08:00'),
  ('2026-04-05', 'holiday', '清明节', '2026-11-25T00:00:00+08:00'),
  ('2026-04-06', 'holiday', '清明节', '2026-11-25T00:00:00+08:00'),
  ('2026-05-01', 'holiday', '劳动节', '2026-11-25T00:00:00+08:00'),
  ('2026-05-02', 'holiday', '劳动节', '2026-11-25T00:00:00+08:00'),
  ('2026-05-03', 'holiday', '劳动节', '2026-11-25T00:00:00+08:00'),
  ('2026-05-04', 'holiday', '劳动节', '2026-11-25T00:00:00+08:00'),
  ('2026-05-05', 'holiday', '劳动节', '2026-11-25T00:00:00+08:00'),
  ('2026-05-09', 'workday', '劳动节调休上班', '2026-11-25T00:00:00+08:00'),
  ('2026-06-19', 'holiday', '端午节', '2026-11-25T00:00:00+08:00'),
  ('2026-06-20', 'holiday', '端午节', '2026-11-25T00:00:00+08:00'),
  ('2026-06-21', 'holiday', '端午节', '2026-11-25T00:00:00+08:00'),
  ('2026-09-20', 'workday', '国庆节调休上班', '2026-11-25T00:00:00+08:00'),
  ('2026-09-25', 'holiday', '中秋节', '2026-11-25T00:00:00+08:00'),
  ('2026-09-26', 'holiday', '中秋节', '2026-11-25T00:00:00+08:00'),
  ('2026-09-27', 'holiday', '中秋节', '2026-11-25T00:00:00+08:00'),
  ('2026-10-01', 'holiday', '国庆节', '2026-11-25T00:00:00+08:00'),
  ('2026-10-02', 'holiday', '国庆节', '2026-11-25T00:00:00+08:00'),
  ('2026-10-03', 'holiday', '国庆节', '2026-11-25T00:00:00+08:00'),
  ('2026-10-04', 'holiday', '国庆节', '2026-11-25T00:00:00+08:00'),
  ('2026-10-05', 'holiday', '国庆节', '2026-11-25T00:00:00+08:00'),
  ('2026-10-06', 'holiday', '国庆节', '2026-11-25T00:00:00+08:00'),
  ('2026-10-07', 'holiday', '国庆节', '2026-11-25T00:00:00+08:00'),
  ('2026-10-10', 'workday', '国庆节调休上班', '2026-11-25T00:00:00+08:00');

-- Every pass and return of a review, with the deficiency list of a return (一次性告知). The
-- application's history (application_events) gets the same decision as the applicant sees it;
-- this table is what separation of duties and the reviewer statistics query.
CREATE TABLE review_decisions (
  id              INTEGER PRIMARY KEY,
  application_id  INTEGER NOT NULL REFERENCES applications(id),
  stage           TEXT NOT NULL CHECK (stage IN ('pre_review', 'initial_review')),
  decision        TEXT NOT NULL CHECK (decision IN ('pass', 'return')),
  staff_id        INTEGER NOT NULL REFERENCES staff(id),
  staff_name      TEXT NOT NULL,
  decided_at      TEXT NOT NULL,
  deficiencies    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(deficiencies)),
  note            TEXT,
  -- the submission this decision was about, to tell the rounds of 补正 apart
  submitted_at    TEXT
) STRICT;
CREATE INDEX review_decisions_app ON review_decisions(application_id, stage, id);
CREATE INDEX review_decisions_staff ON review_decisions(staff_id, decided_at);

-- 培训证号: assigned once when initial review passes, never reused: YYYY + a 6-digit sequence.
CREATE TABLE training_no_sequence (
  year  INTEGER PRIMARY KEY,
  last  INTEGER NOT NULL
) STRICT;

-- Queue pages: one index per filter shape a clerk uses, each ending in the queue order
-- (submitted_at, id), so that the first page of any filter is an index walk of one page.
-- (stage, category, submitted_at, id) and (stage, submitted_at, id) come with 0001.
CREATE INDEX applications_queue_type ON applications(stage, application_type, submitted_at, id);
CREATE INDEX applications_queue_cat_type ON applications(stage, category, application_type, submitted_at, id);
CREATE INDEX applications_queue_school ON applications(stage, training_school_id, submitted_at, id);
-- Searches within a queue: ID-number prefix (a range on the text), name prefix, phone prefix.
CREATE INDEX applications_stage_id_number ON applications(stage, id_number);
CREATE INDEX applications_stage_name ON applications(stage, name);
CREATE INDEX applications_stage_phone ON applications(stage, phone);
