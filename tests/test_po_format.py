"""Every catalogue passes ``msgfmt --check-format`` (issue 12.10): a translation keeps the
placeholders of its source (a dropped ``%(reference)s`` prints a sentence without its period).

GNU msgfmt runs when it is installed (Debian's gettext); polib's check below applies the same
rule for named placeholders everywhere, so the test holds on a machine without gettext too.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "mkk"
CATALOGUES = sorted(SRC.glob("*/locale/*/LC_MESSAGES/django.po"))
NAMED = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifr]")


def _names(text: str) -> set[str]:
    return set(NAMED.findall(text or ""))


def test_catalogues_are_found():
    assert len(CATALOGUES) >= 20


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_placeholders_kept(path):
    problems = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete or not entry.translated():
            continue
        if entry.msgid_plural:
            wanted = _names(entry.msgid_plural)
            for n, text in entry.msgstr_plural.items():
                got = _names(text)
                # Like msgfmt: a plural form may leave out the count, never add a name.
                if not got <= wanted | _names(entry.msgid) or len(wanted - got) > 1:
                    problems.append(f"{entry.msgid!r}[{n}]: {sorted(wanted)} vs {sorted(got)}")
        else:
            if _names(entry.msgid) != _names(entry.msgstr):
                problems.append(
                    f"{entry.msgid!r}: {sorted(_names(entry.msgid))} vs "
                    f"{sorted(_names(entry.msgstr))}"
                )
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) not installed")
@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_msgfmt_check_format(path):
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
