-- name: data_stamp()
-- A stamp that changes whenever the figures change: the dashboard keys its cached dataset and the national
-- comparison on it (observations counted and their latest load time, targets counted, loads made and undone,
-- national rows counted).
SELECT count(*), max(loaded_at), (SELECT count(*) FROM targets),
       (SELECT count(*) FROM loads), (SELECT count(*) FROM loads WHERE status = 'undone'),
       (SELECT count(*) FROM national_counts)
FROM observations;
