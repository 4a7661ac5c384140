#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    # The same settings as gunicorn (config/wsgi.py) for the same environment: .env and the process environment.
    # Nothing switches DEBUG on here; `make run` writes a development .env with DJANGO_DEBUG=1.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as problem:  # a missing or wrong setting: one line that names it
        sys.exit(f"Configuration error: {problem}")
