-- name: police_uk_counts(files, spec, lookup, districts)
-- police.uk rows counted by file, month, category and LPA, on an in-memory connection (never the product's
-- database): the files are read with every column as text (:spec names them, the category column 'category'),
-- counted by their raw values, then the (few thousand) groups are placed in LPAs through the ONS LSOA lookup
-- (:lookup, a CSV) and the districts of data/areas.csv (:districts, a list of {district, lpa}); status says
-- 'placed', 'no_lsoa' (no location) or 'outside' (an LSOA outside the districts).
WITH district_lpa AS (
    SELECT unnest(CAST(:districts AS STRUCT(district VARCHAR, lpa VARCHAR)[]), recursive := true)
),
lsoa_lpa AS (
    SELECT l.LSOA21CD AS lsoa, d.lpa
    FROM read_csv(:lookup, header = true, all_varchar = true) AS l
    JOIN district_lpa AS d ON d.district = l.LAD22NM
),
g AS (
    SELECT filename, "Month" AS month, category, "LSOA code" AS code, count(*) AS n, any_value("LSOA name") AS name
    FROM read_csv(:files, header = true, columns = :spec, auto_detect = false, delim = ',', quote = '"',
                  escape = '"', filename = true, strict_mode = true, null_padding = false, encoding = 'utf-8')
    GROUP BY ALL
)
SELECT g.filename, trim(g.month), coalesce(trim(g.category), ''), l.lpa,
       CASE WHEN coalesce(trim(g.code), '') = '' THEN 'no_lsoa' WHEN l.lpa IS NULL THEN 'outside'
            ELSE 'placed' END AS status,
       sum(g.n)::BIGINT, any_value(g.name)
FROM g LEFT JOIN lsoa_lpa AS l ON l.lsoa = trim(g.code)
GROUP BY ALL;
