-- Migration 6: every deadline keeps its words as written, the date they resolve to, and whether that date is
-- approximate (the last day of a month, a season or a time frame: "end of Jan 2025", "spring 2025", "over the
-- next three months") or a day that was stated ("31st of Mar 25").
-- recommendations.deadline_approximate: beside deadline_text and deadline_date.
-- actions.due_date_approximate: beside due_text and due_date (an action due at a named meeting takes the
-- meeting's date once it is scheduled: that date is exact).
-- pledges.deadline_*: the time frame as said ("over the next three months") and the day it ends.
-- NULL where there is no date. Rows already held are filled in by assurance.commitments.fill_deadlines,
-- run with this migration in its transaction (the words are read by the same code as new ones).
ALTER TABLE recommendations ADD COLUMN deadline_approximate BOOLEAN;
ALTER TABLE actions ADD COLUMN due_date_approximate BOOLEAN;
ALTER TABLE pledges ADD COLUMN deadline_text TEXT;
ALTER TABLE pledges ADD COLUMN deadline_date DATE;
ALTER TABLE pledges ADD COLUMN deadline_approximate BOOLEAN;
