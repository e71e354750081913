"""The `chapterhouse` console command: Django's manage.py under the project's own name.

`chapterhouse verdict ...`, `chapterhouse demo ...` and every Django command run through it.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chapterhouse.settings")
    argv = argv if argv is not None else sys.argv
    if argv[1:2] == ["count"] and not any(a.startswith(("--settings", "--pythonpath"))
                                          for a in argv):
        # Counting a file needs no database and no app: it starts without Django's app
        # registry (every app's models, admin and ready hooks, most of a second; issue 12).
        from chapterhouse.decisions.management.commands.count import run_without_apps

        run_without_apps(argv)
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
