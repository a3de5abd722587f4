-- name: data_stamp()
-- A stamp that changes whenever the quarterly figures or the targets change: the dashboard keys its cached
-- dataset on it (observations counted and their latest load time, targets counted).
SELECT count(*), max(loaded_at), (SELECT count(*) FROM targets) FROM observations;
