-- name: restamp_template_copy()#
-- A new database copied from the demo template: the times its seeding wrote (migrations applied, demo figures
-- loaded, seeded actions created) move forward to now, as if it had been seeded now; earlier times stay.
UPDATE observations SET loaded_at = loaded_at + (current_timestamp::TIMESTAMP - s.seeded_at)
FROM (SELECT min(applied_at) AS seeded_at FROM schema_migrations) AS s
WHERE loaded_at >= s.seeded_at;
UPDATE actions SET created_at = created_at + (current_timestamp::TIMESTAMP - s.seeded_at)
FROM (SELECT min(applied_at) AS seeded_at FROM schema_migrations) AS s
WHERE created_at >= s.seeded_at;
UPDATE schema_migrations SET applied_at = applied_at + (current_timestamp::TIMESTAMP - s.seeded_at)
FROM (SELECT min(applied_at) AS seeded_at FROM schema_migrations) AS s;
