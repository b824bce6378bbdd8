#!/usr/bin/env python
"""Django's command-line utility. DJANGO_SETTINGS_MODULE picks the deployable:
odontocare.settings.gestion (default) or odontocare.settings.citas."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "odontocare.settings.gestion")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
