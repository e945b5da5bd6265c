"""One msgid, one translation: a msgid without context reads the same in every app's catalogue
(issue 15.8). Where the sense differs (the audit event "Approved" beside the status "Approved",
a person's "Name" beside a thing's), the source gives it a context (``pgettext``)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import polib

SRC = Path(__file__).resolve().parents[1] / "src" / "mkk"


def test_a_msgid_without_context_has_one_translation_across_apps():
    seen: dict[tuple, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for path in sorted(SRC.glob("*/locale/*/LC_MESSAGES/django.po")):
        app, language = path.parts[-5], path.parts[-3]
        if language == "en":
            continue
        for entry in polib.pofile(str(path)):
            if entry.obsolete or entry.msgctxt or not entry.translated():
                continue
            value = entry.msgstr or tuple(sorted(entry.msgstr_plural.items()))
            key = (language, entry.msgid)
            seen[key][value].add(app)
    differing = [
        f"{language} {msgid!r}: "
        + "; ".join(f"{sorted(apps)} → {value!r}" for value, apps in values.items())
        for (language, msgid), values in sorted(seen.items())
        if len(values) > 1
    ]
    assert not differing, "\n".join(differing)
