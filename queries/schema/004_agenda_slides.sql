-- Migration 4: which slides the meeting room display shows for each agenda item.
-- slides is a comma-separated list of slide kinds (actions_review, cc_assessment, lpa_focus, hmicfrs,
-- actions_arising, text), kept beside agenda_items rather than as a new column of it: the seed loader
-- inserts agenda items positionally. No row for an item: the kinds are inferred from its title.
CREATE TABLE agenda_slides (
    meeting_id TEXT NOT NULL,
    position   INTEGER NOT NULL,
    slides     TEXT NOT NULL,
    PRIMARY KEY (meeting_id, position)
);
