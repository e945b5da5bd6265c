"""The public entry points: parse a text export, a ``.docx`` or an uploaded file; every
unexpected failure becomes a :class:`PlanParseError`."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import Any, BinaryIO

from django.utils.translation import gettext_lazy as _

from .docx_reader import _read_bytes, docx_to_items
from .model import ParsedPlan, ParseWarning, PlanParseError
from .table import _parse_items
from .text_reader import text_to_items


def _guarded(call: Any, *args: Any, **kwargs: Any) -> ParsedPlan:
    """Run a parse; any unexpected exception becomes ``PlanParseError('internal')``."""
    try:
        return call(*args, **kwargs)
    except PlanParseError:
        raise
    except RecursionError as exc:
        raise PlanParseError("internal", _("The document is too deeply nested.")) from exc
    except Exception as exc:
        raise PlanParseError(
            "internal", _("The document could not be read because of an unexpected error.")
        ) from exc


def _parse_text(text: str, warnings: Sequence[ParseWarning] = ()) -> ParsedPlan:
    if not isinstance(text, str):
        raise PlanParseError("unreadable", _("The text could not be read."))
    if not text.strip():
        raise PlanParseError("empty", _("The file is empty."))
    return _parse_items(text_to_items(text), source_format="text", warnings=warnings)


def parse_plan_text(text: str) -> ParsedPlan:
    """Parse the plain-text export of a Local Action Plan."""
    return _guarded(_parse_text, text)


def _parse_docx(data: bytes | BinaryIO) -> ParsedPlan:
    return _parse_items(docx_to_items(data), source_format="docx")


def parse_plan_docx(data: bytes | BinaryIO) -> ParsedPlan:
    """Parse a Local Action Plan .docx (bytes or a binary file object).

    Refused with :class:`PlanParseError`: anything that is not a zip, a zip without
    ``word/document.xml``, more than :data:`MAX_ZIP_MEMBERS` members or more than
    :data:`MAX_UNCOMPRESSED_BYTES` uncompressed (zip bomb), a damaged document, and a document
    without a recognisable action table.
    """
    return _guarded(_parse_docx, data)


def _decode_text(data: bytes) -> tuple[str, list[ParseWarning]]:
    warnings: list[ParseWarning] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
        return text, warnings
    try:
        return data.decode("utf-8-sig"), warnings
    except UnicodeDecodeError:
        warnings.append(
            ParseWarning(
                kind="encoding",
                message=_(
                    "The file is not UTF-8; it was read as Windows-1252 (cp1252). Check "
                    "letters such as ë and ç."
                ),
            )
        )
        return data.decode("cp1252", errors="replace"), warnings


def _parse_file(name: str, data: bytes) -> ParsedPlan:
    raw = _read_bytes(data)
    if not raw.strip():
        raise PlanParseError("empty", _("The file is empty."))
    if raw.startswith(b"PK") and zipfile.is_zipfile(io.BytesIO(raw)):
        return _parse_docx(raw)
    lowered = (name or "").lower()
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise PlanParseError(
            "unsupported_format",
            _("This is an old Word (.doc) file; save it as .docx or as plain text first."),
        )
    if lowered.endswith((".docx", ".docm", ".dotx")):
        raise PlanParseError(
            "not_zip", _("The file is not a Word document (.docx): it is not a zip archive.")
        )
    text, warnings = _decode_text(raw)
    return _parse_text(text, warnings)


def parse_plan_file(name: str, data: bytes) -> ParsedPlan:
    """Parse an uploaded file: a .docx when the content is a zip, else UTF-8 text.

    Text may start with a BOM; UTF-16 with a BOM is accepted; other non-UTF-8 text is
    decoded as cp1252 with an 'encoding' warning.
    """
    return _guarded(_parse_file, name, data)
