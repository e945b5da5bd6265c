"""The audit view names every field in the reader's words (issue 15.10): every concrete field
of every MKK model has a label that is translated into Albanian and Serbian."""

from __future__ import annotations

from django.apps import apps
from django.utils import translation

from mkk.audit.presentation import field_label

#: Labels that are rightly the same word in English and the other language.
SAME_WORD = {
    ("sq", "SHA-256"),
    ("sr-latn", "SHA-256"),
    ("sr-latn", "Status"),
    ("sr-latn", "Partner"),
    ("sr-latn", "Format"),
}


def _fields():
    for model in apps.get_models():
        if not model.__module__.startswith("mkk.") or getattr(model, "audit_exclude", False):
            continue  # not ours, or never in the audit log (caches)
        for f in model._meta.concrete_fields:
            if f.primary_key and f.name == "id":
                continue
            yield model, f


def test_every_field_of_every_model_has_a_translated_label():
    missing = []
    for model, f in _fields():
        with translation.override("en"):
            english = field_label(model, f.name)
        for language in ("sq", "sr-latn"):
            with translation.override(language):
                shown = field_label(model, f.name)
            if shown == english and (language, shown) not in SAME_WORD:
                missing.append(f"{model._meta.label}.{f.name} [{language}]: {shown}")
    assert not missing, "\n".join(missing)


def test_labels_are_words_not_column_names():
    """No label shows a column name (``created_by``, ``token_hash``) as it is written in code."""
    raw = []
    for model, f in _fields():
        with translation.override("en"):
            label = field_label(model, f.name)
        if not label or "_" in label:
            raw.append(f"{model._meta.label}.{f.name}: {label}")
    assert not raw, raw
