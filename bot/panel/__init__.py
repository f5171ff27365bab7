"""The panel: server-rendered web pages for IT staff (SLA board, ticket pages, report, teams), served by
`talepbot run` with aiohttp and Jinja2. Pages read and act through storage/, like the dialog engine."""
