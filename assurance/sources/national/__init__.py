"""police.uk street-level archives for every force that publishes, read for the national comparison.

``geography``: the ONS lookups and Census 2021 populations shipped in ``data/reference/`` turned into the areas
the comparison uses (each force, each Community Safety Partnership, a local authority district where it is the
unit). ``outcomes``: the one table saying which police.uk outcome categories count towards the positive-outcome
proxy. ``archive``: the archives themselves (zips, folders or CSVs), checked and counted into a batch.
"""
