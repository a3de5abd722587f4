-- Views recreated on every `init` and upgrade (they hold no data).

-- The national comparison (migration 8). A financial quarter from a police.uk month: 2024-01 -> '2023/24 Q4'.
CREATE OR REPLACE MACRO financial_quarter(month) AS (
    WITH parts AS (SELECT CAST(month[1:4] AS INTEGER) AS y, CAST(month[6:7] AS INTEGER) AS m)
    SELECT CAST(CASE WHEN m >= 4 THEN y ELSE y - 1 END AS TEXT) || '/'
           || lpad(CAST((CASE WHEN m >= 4 THEN y ELSE y - 1 END + 1) % 100 AS TEXT), 2, '0')
           || ' Q' || CAST(((m + 8) % 12) // 3 + 1 AS TEXT)
    FROM parts
);

-- Months loaded per force and quarter (a quarter with fewer than 3 is partial: never drawn or ranked as full).
CREATE OR REPLACE VIEW national_months AS
SELECT financial_quarter(month) AS quarter, force, count(DISTINCT month) AS months_loaded,
       string_agg(DISTINCT month, ', ' ORDER BY month) AS months
FROM national_counts
GROUP BY ALL;

-- Every counted row with its quarter, unit and outcome group. Anti-social behaviour (incidents, not crimes) is
-- kept as its own type here and left out of every 'All crime' total below.
CREATE OR REPLACE VIEW national_rows AS
SELECT c.month, financial_quarter(c.month) AS quarter, c.force, c.lad,
       CASE WHEN c.place = 'placed' THEN l.unit END AS unit, c.place, c.crime_type,
       c.crime_type <> 'Anti-social behaviour' AS is_crime, g.outcome_group, c.count
FROM national_counts AS c
LEFT JOIN geo_lads AS l ON l.code = c.lad
LEFT JOIN outcome_groups AS g ON g.category = coalesce(c.outcome, '');

-- Force quarters, by crime type (anti-social behaviour included, as its own type) and for 'All crime' (crimes
-- only): counts, the proxy's parts, population, months loaded.
CREATE OR REPLACE VIEW national_force_quarters AS
WITH counted AS (
    SELECT quarter, force, crime_type, sum(count)::BIGINT AS recorded_crimes,
           coalesce(sum(count) FILTER (WHERE outcome_group IN ('charge_or_summons', 'out_of_court')), 0)::BIGINT AS positive,
           coalesce(sum(count) FILTER (WHERE outcome_group = 'still_open'), 0)::BIGINT AS still_open
    FROM national_rows
    GROUP BY ALL
    UNION ALL
    SELECT quarter, force, 'All crime', sum(count)::BIGINT,
           coalesce(sum(count) FILTER (WHERE outcome_group IN ('charge_or_summons', 'out_of_court')), 0)::BIGINT,
           coalesce(sum(count) FILTER (WHERE outcome_group = 'still_open'), 0)::BIGINT
    FROM national_rows
    WHERE is_crime
    GROUP BY ALL
)
SELECT c.quarter, c.force, f.name AS force_name, f.territorial, c.crime_type, c.recorded_crimes, c.positive,
       c.still_open, f.population, m.months_loaded, m.months
FROM counted AS c
JOIN police_forces AS f ON f.slug = c.force
JOIN national_months AS m ON m.quarter = c.quarter AND m.force = c.force;

-- Unit quarters (CSPs, or districts compared whole): the force's rows that lie in its own area.
CREATE OR REPLACE VIEW national_unit_quarters AS
WITH counted AS (
    SELECT quarter, force, unit, crime_type, sum(count)::BIGINT AS recorded_crimes,
           coalesce(sum(count) FILTER (WHERE outcome_group IN ('charge_or_summons', 'out_of_court')), 0)::BIGINT AS positive,
           coalesce(sum(count) FILTER (WHERE outcome_group = 'still_open'), 0)::BIGINT AS still_open
    FROM national_rows
    WHERE unit IS NOT NULL
    GROUP BY ALL
    UNION ALL
    SELECT quarter, force, unit, 'All crime', sum(count)::BIGINT,
           coalesce(sum(count) FILTER (WHERE outcome_group IN ('charge_or_summons', 'out_of_court')), 0)::BIGINT,
           coalesce(sum(count) FILTER (WHERE outcome_group = 'still_open'), 0)::BIGINT
    FROM national_rows
    WHERE unit IS NOT NULL AND is_crime
    GROUP BY ALL
)
SELECT c.quarter, c.force, c.unit, u.name AS unit_name, u.kind AS unit_kind, c.crime_type, c.recorded_crimes,
       c.positive, c.still_open, u.population, m.months_loaded, m.months
FROM counted AS c
JOIN geo_units AS u ON u.code = c.unit
JOIN national_months AS m ON m.quarter = c.quarter AND m.force = c.force;

-- West Mercia's recorded crime from the national comparison, for each quarter it has in full: each LPA (its
-- districts, from data/areas.csv) and the force (every crime of its own file, placed or not).
CREATE OR REPLACE VIEW national_west_mercia_crime AS
WITH lpa_districts AS (
    SELECT a.code AS area, trim(d.district) AS district
    FROM areas AS a, unnest(string_split(a.districts, ';')) AS d(district)
    WHERE a.kind = 'lpa'
), full_quarters AS (
    SELECT quarter FROM national_months WHERE force = 'west-mercia' AND months_loaded = 3
)
SELECT r.quarter, p.area, sum(r.count)::DOUBLE AS value
FROM national_rows AS r
JOIN geo_lads AS l ON l.code = r.lad
JOIN lpa_districts AS p ON p.district = l.name
WHERE r.force = 'west-mercia' AND r.place = 'placed' AND r.is_crime AND r.quarter IN (SELECT quarter FROM full_quarters)
GROUP BY ALL
UNION ALL
SELECT quarter, 'force', recorded_crimes::DOUBLE
FROM national_force_quarters
WHERE force = 'west-mercia' AND crime_type = 'All crime' AND months_loaded = 3;

-- The observations the dashboard shows: the force's own figures first, then police.uk's (West Mercia's recorded
-- crime from the national comparison), then the illustrative demo figures.
CREATE OR REPLACE VIEW observations_in_use AS
WITH national AS (
    SELECT area, 'total_recorded_crime' AS metric, quarter, value, NULL::DOUBLE AS numerator,
           NULL::DOUBLE AS denominator, false AS illustrative,
           'police.uk street-level crime (national archives), Open Government Licence v3.0' AS source,
           NULL::TIMESTAMP AS loaded_at
    FROM national_west_mercia_crime
)
SELECT o.area, o.metric, o.quarter, o.value, o.numerator, o.denominator, o.illustrative, o.source, o.loaded_at
FROM observations AS o
WHERE NOT (o.illustrative AND (o.area, o.metric, o.quarter) IN (SELECT (area, metric, quarter) FROM national))
UNION ALL
SELECT n.area, n.metric, n.quarter, n.value, n.numerator, n.denominator, n.illustrative, n.source, n.loaded_at
FROM national AS n
WHERE (n.area, n.metric, n.quarter) NOT IN (SELECT (area, metric, quarter) FROM observations WHERE NOT illustrative);

-- The stable interface for analysts: quarterly_metrics, one row per area, metric and quarter, as the dashboard shows
-- them (observations_in_use). area is the area's name ('Shropshire', 'West Mercia'), metric the catalogue code,
-- quarter text like '2024/25 Q2'; source says where the figure came from, illustrative whether it is made up.
CREATE OR REPLACE VIEW quarterly_metrics AS
SELECT a.name AS area, o.metric, o.quarter, o.value, o.numerator, o.denominator, o.illustrative, o.source
FROM observations_in_use AS o
JOIN areas AS a ON a.code = o.area;
