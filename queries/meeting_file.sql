-- name: meeting_exists(meeting_id)
-- 1 when a meeting with this id is held, else 0.
SELECT count(*) FROM meetings WHERE id = :meeting_id;

-- name: insert_meeting(id, held_on, starts_at, title, kind, quarter_discussed, chair, minute_taker, source_document)!
-- A meeting that has been held, from a meeting record (data/meetings/*.json or imported minutes).
INSERT INTO meetings (id, held_on, starts_at, title, kind, quarter_discussed, chair, minute_taker, source_document,
                      status)
VALUES (:id, :held_on, :starts_at, :title, :kind, :quarter_discussed, :chair, :minute_taker, :source_document, 'held');

-- name: insert_attendee(meeting_id, position, name, role, abbreviation, organisation)!
-- An attendee of a meeting, in the order the minutes list them.
INSERT INTO attendees (meeting_id, position, name, role, abbreviation, organisation)
VALUES (:meeting_id, :position, :name, :role, :abbreviation, :organisation);

-- name: insert_agenda_item(meeting_id, position, title, notes)!
-- An agenda item of a meeting, in agenda order.
INSERT INTO agenda_items (meeting_id, position, title, notes) VALUES (:meeting_id, :position, :title, :notes);

-- name: insert_recorded_action(meeting_id, position, text, owner, agenda_item, due_text, due_meeting_kind, due_meeting_quarter, due_date, due_date_approximate, metric, area)!
-- An action as a meeting record gives it: open, its date read from its words.
INSERT INTO actions (meeting_id, position, text, owner, agenda_item, due_text, due_meeting_kind, due_meeting_quarter,
                     due_date, due_date_approximate, status, metric, area)
VALUES (:meeting_id, :position, :text, :owner, :agenda_item, :due_text, :due_meeting_kind, :due_meeting_quarter,
        :due_date, :due_date_approximate, 'open', :metric, :area);

-- name: insert_recorded_recommendation(report, report_published, number, subject, text, force_response, deadline_text, deadline_date, deadline_approximate, status, evidence, meeting_id)!
-- An HMICFRS recommendation as a meeting record gives it, its deadline read from its words.
INSERT INTO recommendations (report, report_published, number, subject, text, force_response, deadline_text,
                             deadline_date, deadline_approximate, status, evidence, meeting_id)
VALUES (:report, :report_published, :number, :subject, :text, :force_response, :deadline_text, :deadline_date,
        :deadline_approximate, :status, :evidence, :meeting_id);

-- name: insert_recorded_pledge(meeting_id, owner, text, area, metric, direction, horizon_months, baseline_quarter, due_quarter, deadline_text, deadline_date, deadline_approximate)!
-- A pledge with a metric, its baseline the quarter discussed and its due quarter from its time frame.
INSERT INTO pledges (meeting_id, owner, text, area, metric, direction, horizon_months, baseline_quarter, due_quarter,
                     deadline_text, deadline_date, deadline_approximate)
VALUES (:meeting_id, :owner, :text, :area, :metric, :direction, :horizon_months, :baseline_quarter, :due_quarter,
        :deadline_text, :deadline_date, :deadline_approximate);

-- name: insert_recorded_claim(meeting_id, speaker, text, metric, area, quarter, period, comparison, stated_value, tolerance)!
-- A figure quoted in the meeting, to be checked against the data.
INSERT INTO claims (meeting_id, speaker, text, metric, area, quarter, period, comparison, stated_value, tolerance)
VALUES (:meeting_id, :speaker, :text, :metric, :area, :quarter, :period, :comparison, :stated_value, :tolerance);

-- name: dated_recommendations()
-- Recommendations holding a date, with the day their words were said (migration 6 fills their approximate flag).
SELECT r.id, r.deadline_text, r.deadline_date, coalesce(m.held_on, r.deadline_date) AS said_on
FROM recommendations AS r
LEFT JOIN meetings AS m ON m.id = r.meeting_id
WHERE r.deadline_date IS NOT NULL;

-- name: set_recommendation_approximate(id, approximate)!
-- Whether a recommendation's date is the loose reading of its words (migration 6).
UPDATE recommendations SET deadline_approximate = :approximate WHERE id = :id;

-- name: actions_with_meeting_dates()
-- Every action with the day of the meeting that raised it (migration 6 reads their words again).
SELECT a.id, a.due_text, a.due_date, a.due_meeting_quarter, m.held_on
FROM actions AS a
JOIN meetings AS m ON m.id = a.meeting_id;

-- name: set_action_due(id, day, approximate)!
-- An action's due date and whether it is approximate (migration 6).
UPDATE actions SET due_date = :day, due_date_approximate = :approximate WHERE id = :id;

-- name: pledges_with_meeting_dates()
-- Every pledge with the day of the meeting where it was made (migration 6).
SELECT p.id, p.text, p.horizon_months, m.held_on
FROM pledges AS p
JOIN meetings AS m ON m.id = p.meeting_id;

-- name: set_pledge_deadline(id, text, day, approximate)!
-- A pledge's time frame as said and the day it ends, approximate (migration 6).
UPDATE pledges SET deadline_text = :text, deadline_date = :day, deadline_approximate = :approximate WHERE id = :id;

-- name: area_codes()
-- Area codes in display order (what a record may name).
SELECT code FROM areas ORDER BY sort_order;

-- name: metric_codes()
-- Metric codes in display order (what a record may name).
SELECT code FROM metrics ORDER BY sort_order;

-- name: codes_known(area, metric)
-- Whether an area code and a metric code are held (each false when NULL): what an action or a rebase may name.
SELECT EXISTS (SELECT 1 FROM areas WHERE code = :area), EXISTS (SELECT 1 FROM metrics WHERE code = :metric);

-- name: recommendation_id(report, number)
-- The recommendation already held for this report and number, if any.
SELECT id FROM recommendations WHERE report = :report AND number = :number;

-- name: recommendation_response(id)
-- The fields a later meeting's minutes may update on a recommendation already held.
SELECT force_response, deadline_text, deadline_date, deadline_approximate, meeting_id FROM recommendations WHERE id = :id;

-- name: update_recommendation_response(id, force_response, deadline_text, deadline_date, deadline_approximate, meeting_id)!
-- A later meeting's response and deadline for a recommendation already held.
UPDATE recommendations
SET force_response = :force_response, deadline_text = :deadline_text, deadline_date = :deadline_date,
    deadline_approximate = :deadline_approximate, meeting_id = :meeting_id
WHERE id = :id;

-- name: meeting_title(meeting_id)
-- A meeting's title (the audit row of a meeting record).
SELECT title FROM meetings WHERE id = :meeting_id;

-- name: created_in_meeting(meeting_id)
-- Everything a meeting record created, for its audit rows: (entity, id, field, value).
SELECT 'action' AS entity, id, 'text' AS field, text AS value FROM actions WHERE meeting_id = :meeting_id
UNION ALL
SELECT 'recommendation', id, 'subject', subject FROM recommendations WHERE meeting_id = :meeting_id
UNION ALL
SELECT 'pledge', id, 'text', text FROM pledges WHERE meeting_id = :meeting_id
UNION ALL
SELECT 'claim', id, 'text', text FROM claims WHERE meeting_id = :meeting_id
ORDER BY 1, 2;
