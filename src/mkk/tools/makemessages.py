"""Extract translatable strings of every app into its own locale/ folder.

Run `make messages` after changing user-visible text, then translate the new entries of
``locale/sq`` and ``locale/sr_Latn`` (English is the source language; its catalogue stays
empty). Needs GNU gettext (xgettext) on the developer's machine, not on servers.
"""

from __future__ import annotations

import os
import subprocess  # noqa: S404 - runs our own manage.py
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # src/mkk
MANAGE = ROOT.parent.parent / "manage.py"
APPS = [
    "web",
    "core",
    "accounts",
    "audit",
    "directory",
    "plans",
    "statistics",
    "meetings",
    "cases",
    "reports",
    "national",
    "notifications",
    "ops",
    "api",
]
LOCALES = ["sq", "en", "sr_Latn"]


def main(argv: list[str]) -> int:
    apps = argv or APPS
    env = {**os.environ, "DEBUG": "True"}
    for app in apps:
        app_dir = ROOT / app
        (app_dir / "locale").mkdir(exist_ok=True)
        args = [sys.executable, str(MANAGE), "makemessages", "--no-obsolete", "--no-location"]
        args += [f"-l{loc}" for loc in LOCALES]
        args += ["-i", "migrations/*", "-i", "tests/*"]
        subprocess.run(args, cwd=app_dir, env=env, check=True)  # noqa: S603
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
