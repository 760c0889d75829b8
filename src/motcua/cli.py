"""The `motcua` command: Django management commands behind one entry point.

`motcua load-units` runs the `load_units` command; `motcua audit verify` runs `audit verify`.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["motcua", *argv])
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
