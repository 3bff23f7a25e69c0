"""The WSGI entry point: `gunicorn wsgi:app` in production, `flask --app wsgi run` locally."""

import gc

from triage.web.app import create_app

app = create_app()

# What the app has made by now (its routes, templates, tables and libraries: some 180,000 objects) lives as long
# as the process. Frozen, they are left out of every full garbage collection, which otherwise scans them all again
# every few busy requests: 100 to 150 ms each time, the slowest twentieth of the free-times query
# (bench/booking.py).
gc.freeze()
