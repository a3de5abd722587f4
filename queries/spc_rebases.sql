-- name: spc_rebases()
-- Every stored SPC rebase point, by area, metric and quarter.
SELECT area, metric, quarter, reason, created_at, created_by
FROM spc_rebases
ORDER BY area, metric, quarter;

-- name: series_rebases(area, metric)
-- The stored rebase points of one series (an area's metric), oldest quarter first.
SELECT area, metric, quarter, reason, created_at, created_by
FROM spc_rebases
WHERE area = :area AND metric = :metric
ORDER BY quarter;

-- name: rebase_candidates(area, metric)
-- The quarters with a figure in one series, in order: a rebase may start at any of them after the first.
SELECT quarter FROM observations WHERE area = :area AND metric = :metric AND value IS NOT NULL ORDER BY quarter;

-- name: rebase_reason(area, metric, quarter)
-- The reason of the rebase stored at this quarter of the series (no row: there is none).
SELECT reason FROM spc_rebases WHERE area = :area AND metric = :metric AND quarter = :quarter;

-- name: insert_rebase(area, metric, quarter, reason, created_by)!
-- A rebase point: the series starts a new part, with its own mean and limits, at this quarter.
INSERT INTO spc_rebases (area, metric, quarter, reason, created_by)
VALUES (:area, :metric, :quarter, :reason, :created_by);

-- name: delete_rebase(area, metric, quarter)!
-- Remove a rebase point (its audit row keeps the reason).
DELETE FROM spc_rebases WHERE area = :area AND metric = :metric AND quarter = :quarter;
