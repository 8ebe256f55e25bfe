"""`kiosk console`: the staff console, a small web application served by the Pi.

Flask renders the pages (Jinja2 templates, autoescaped, no JavaScript), Cheroot serves
them (pure Python, one process, a few threads, TLS itself). The pages only parse the
request, call a domain operation (kiosk/console/operations.py is the one place that
names them) and render. The same process publishes the station's health.
"""
