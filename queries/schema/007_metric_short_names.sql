-- Migration 7: a deliberate shorter name for each metric, for places too narrow for the full name (the Overview's
-- metric cards at 1366 px wide), which always show the full name in their help. Empty (NULL) means the name is
-- short enough; the metric_catalogue query then gives the name. Filled from data/metric_catalogue.csv by init.
ALTER TABLE metrics ADD COLUMN short_name TEXT;
