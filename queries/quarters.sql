-- name: quarters()
-- The quarters that hold any observation, latest first.
SELECT DISTINCT quarter FROM observations ORDER BY quarter DESC;
