#!/usr/bin/env python
import os
import sys
import traceback
from pathlib import Path

SETTINGS_FILE = str(Path(__file__).resolve().parent / "branch_portal" / "settings.py")


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branch_portal.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A bad environment variable: the settings' message names it, a traceback adds nothing.
        # Any other ImproperlyConfigured keeps its traceback.
        frames = traceback.extract_tb(error.__traceback__)
        if not any(frame.filename == SETTINGS_FILE for frame in frames):
            raise
        sys.exit(f"Configuration error: {error}")


if __name__ == "__main__":
    main()
