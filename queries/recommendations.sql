-- name: recommendations()
-- HMICFRS recommendations by report and number, with deadlines as written and as dates.
SELECT id, report, report_published, number, subject, text, force_response, deadline_text, deadline_date,
       deadline_approximate, status, evidence, meeting_id
FROM recommendations
ORDER BY report_published, report, number;

-- name: recommendation_by_id(id)
-- One recommendation as stored, read by an edit inside its transaction.
SELECT id, report, report_published, number, subject, text, force_response, deadline_text, deadline_date,
       deadline_approximate, status, evidence, meeting_id
FROM recommendations
WHERE id = :id;

-- name: insert_recommendation(report, report_published, number, subject, text, force_response, deadline_text, deadline_date, deadline_approximate, status, evidence)<!
-- A recommendation added on the recommendations page, its deadline read from its words; returns its id.
INSERT INTO recommendations (report, report_published, number, subject, text, force_response, deadline_text,
                             deadline_date, deadline_approximate, status, evidence)
VALUES (:report, :report_published, :number, :subject, :text, :force_response, :deadline_text, :deadline_date,
        :deadline_approximate, :status, :evidence)
RETURNING id;

-- name: update_recommendation(id, subject, text, force_response, deadline_text, deadline_date, deadline_approximate, status, evidence)!
-- A recommendation's editable fields as an edit leaves them (its audit rows say which of them changed).
UPDATE recommendations
SET subject = :subject, text = :text, force_response = :force_response, deadline_text = :deadline_text,
    deadline_date = :deadline_date, deadline_approximate = :deadline_approximate, status = :status,
    evidence = :evidence
WHERE id = :id;
