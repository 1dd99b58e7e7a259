"""The web UI: Arabic-first, right-to-left pages served by ``marsad serve`` next to the HTTP API.

Pages are rendered on the server from Jinja2 templates with autoescaping on, so article text is always escaped;
charts and the interaction graph are drawn in the browser by the vendored echarts from the JSON API.
Everything (scripts, fonts) ships in ``static/``: the UI works offline.
"""
