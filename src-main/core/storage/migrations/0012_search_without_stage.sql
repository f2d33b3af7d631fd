-- The applicant API (issue 3): a submission moves its application into every stage-led index, and
-- the three search indexes, (stage, id_number), (stage, name) and (stage, phone), are keyed at
-- random: each submission wrote a leaf page of each that no other submission in its batch shared.
-- Measured on 60,000 drafts: the submission's UPDATE took 52-55 µs with them, 40-41 µs without.
-- The plain (id_number), (name) and (phone) indexes, which a stage change never touches, serve
-- the queue searches instead: the stage is a filter on the few rows a prefix finds.
DROP INDEX applications_stage_id_number;
DROP INDEX applications_stage_name;
DROP INDEX applications_stage_phone;
