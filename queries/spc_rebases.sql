-- name: spc_rebases()
-- Every stored SPC rebase point, by area, metric and quarter.
SELECT area, metric, quarter, reason, created_at, created_by
FROM spc_rebases
ORDER BY area, metric, quarter;
