"""The national comparison: every force and every Community Safety Partnership in England and Wales, from
police.uk, per 1,000 residents (Census 2021).

- ``reference``: the forces, units, districts and outcome groups written into the database from data/reference/.
- ``load``: a checked batch (``assurance.sources.national``) written in one transaction; re-importing a force's
  month replaces it; undo puts the replaced rows back.
- ``figures``: what the National page, the briefing and the export show, each asked for by quarter and crime type.
- ``peers``: the peer groups: the default (nearest by population and crime per 1,000), or a saved list.
"""
