-- name: commitments_stamp()
-- A stamp that changes whenever commitments change: every audited write adds an audit row, and the
-- counts catch rows written without one (minutes applied from the command line, a seeded meeting).
SELECT
    (SELECT coalesce(max(id), 0) FROM audit_log),
    (SELECT count(*) FROM meetings),
    (SELECT count(*) FROM agenda_items),
    (SELECT count(*) FROM actions),
    (SELECT count(*) FROM action_updates),
    (SELECT count(*) FROM recommendations),
    (SELECT count(*) FROM pledges),
    (SELECT count(*) FROM claims),
    (SELECT count(*) FROM spc_rebases);
