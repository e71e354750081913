"""The `chapterhouse` console command: Django's manage.py under the project's own name.

`chapterhouse verdict ...`, `chapterhouse demo ...` and every Django command run through it.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chapterhouse.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else sys.argv)


if __name__ == "__main__":
    main()
