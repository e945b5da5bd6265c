"""Compile every app's locale/*/LC_MESSAGES/django.po to .mo with polib.

Used by `make setup` so that a fresh machine needs no GNU gettext; .mo files are build
output and are not committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent  # src/mkk


def main() -> int:
    count = 0
    for po_path in sorted(ROOT.glob("*/locale/*/LC_MESSAGES/django.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        count += 1
    print(f"compiled {count} message catalogue(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
