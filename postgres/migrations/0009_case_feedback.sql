-- A case may be opened by a feedback item (a review, a ticket, a call)
-- as well as by a survey answer: the same rules act on both.
ALTER TABLE cases ADD COLUMN feedback_id BIGINT REFERENCES feedback_items (id) ON DELETE SET NULL;
