"""The browser side shared by the pages: pages (the registry the navigation is built from), session (connection,
cached dataset), selection (quarter and focus LPA), auth (who is acting, their role), errors (showing what went
wrong), text (safe Markdown), style (CSS, table heights, the illustrative banner), meeting (the room's display) and
preload (the browser asked for the chart code at the start of a first run)."""
