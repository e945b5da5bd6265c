"""Short labels as a native reader signs them (issue 15.8): each label of the report carries
its own context, so that no word is taken from Django's own catalogue (or from another app)
in a different sense — "Change" is the column "Ndryshimi" / "Promena", not the button
"Ndryshoje" / "Izmeni"."""

from __future__ import annotations

import glob
from pathlib import Path

import django
import polib
import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

ROOT = Path(__file__).resolve().parents[2]
LANGS = {"sq": "sq", "sr_Latn": "sr-latn"}


def _django_catalogue(lang: str) -> dict[str, str]:
    found: dict[str, str] = {}
    base = Path(django.__file__).parent
    for path in glob.glob(
        str(base / "**" / "locale" / lang / "LC_MESSAGES" / "django.po"), recursive=True
    ):
        for e in polib.pofile(path):
            if e.msgstr and not e.msgctxt and not e.msgid_plural:
                found.setdefault(e.msgid, e.msgstr)
    return found


def _mkk_entries(lang: str):
    for path in sorted(
        glob.glob(str(ROOT / "src" / "mkk" / "*" / "locale" / lang / "LC_MESSAGES" / "django.po"))
    ):
        for e in polib.pofile(path):
            if not e.obsolete and not e.msgid_plural and e.msgstr and "fuzzy" not in e.flags:
                yield Path(path).parts[-5], e


@pytest.mark.parametrize("lang", list(LANGS))
def test_no_msgid_of_mkk_resolves_to_djangos_catalogue(lang):
    """Every msgid MKK shares with Django's catalogue resolves to a translation MKK wrote."""
    django_has = _django_catalogue(lang)
    ours: dict[tuple, set[str]] = {}
    for _app, e in _mkk_entries(lang):
        ours.setdefault((e.msgctxt, e.msgid), set()).add(e.msgstr)
    wrong = []
    with translation.override(LANGS[lang]):
        for (ctx, msgid), texts in ours.items():
            if ctx or msgid not in django_has:
                continue
            shown = gettext(msgid)
            if shown not in texts:
                wrong.append(f"{msgid!r} shows Django's {shown!r}, MKK says {sorted(texts)}")
    assert not wrong, wrong


@pytest.mark.parametrize("lang", list(LANGS))
def test_the_reports_labels_have_their_own_context(lang):
    path = ROOT / "src" / "mkk" / "reports" / "locale" / lang / "LC_MESSAGES" / "django.po"
    labels = [e for e in polib.pofile(str(path)) if e.msgctxt == "report" and not e.obsolete]
    assert len(labels) > 40
    with translation.override(LANGS[lang]):
        for e in labels:
            assert pgettext("report", e.msgid) == e.msgstr, e.msgid
        change = pgettext("report", "Change")
    assert change == {"sq": "Ndryshimi", "sr_Latn": "Promena"}[lang]
    assert change != _django_catalogue(lang)["Change"]  # not the button "Ndryshoje" / "Izmeni"
    source = (ROOT / "src" / "mkk" / "reports" / "document.py").read_text()
    assert '_("Change")' not in source and '_("Type")' not in source
