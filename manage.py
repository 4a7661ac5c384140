#!/usr/bin/env python
import os
import sys
from pathlib import Path

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # A checkout with no configuration at all (no DJANGO_DEBUG, no .env yet) is a developer's machine: run
    # management commands in development mode. gunicorn (config/wsgi.py) keeps the strict default.
    if "DJANGO_DEBUG" not in os.environ and not (Path(__file__).resolve().parent / ".env").exists():
        os.environ["DJANGO_DEBUG"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
