-- name: recommendations()
-- HMICFRS recommendations by report and number, with deadlines as written and as dates.
SELECT id, report, report_published, number, subject, text, force_response, deadline_text, deadline_date,
       deadline_approximate, status, evidence, meeting_id
FROM recommendations
ORDER BY report_published, report, number;
