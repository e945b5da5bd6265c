"""Every catalogue of Albanian and Serbian is complete: no empty and no fuzzy entry."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent / "src" / "mkk"
CATALOGUES = sorted(ROOT.glob("*/locale/*/LC_MESSAGES/django.po"))


def test_catalogues_exist_for_each_language():
    langs = {p.parts[-3] for p in CATALOGUES}
    assert {"sq", "en", "sr_Latn"} <= langs


@pytest.mark.parametrize(
    "po_path",
    [p for p in CATALOGUES if p.parts[-3] in {"sq", "sr_Latn"}],
    ids=lambda p: "/".join(p.parts[-5:-2]),
)
def test_catalogue_complete(po_path):
    po = polib.pofile(str(po_path))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert not missing, f"{po_path}: untranslated {missing[:10]} ({len(missing)} in all)"


def test_serbian_has_three_plural_forms():
    for po_path in CATALOGUES:
        if po_path.parts[-3] == "sr_Latn":
            header = polib.pofile(str(po_path)).metadata.get("Plural-Forms", "")
            assert "nplurals=3" in header, po_path
