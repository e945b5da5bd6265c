"""Evidence files of progress updates: what may be attached (recognised by content, never by
the name or the browser's claim), where the files are kept (the "private" storage, outside
the web root, under random names) and how they are read back. Who may add or remove a file is
decided by the services (``plans/services.py``: ``evidence_add``, ``evidence_delete``).
"""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from mkk.ops.storage import private_storage

from .models import Evidence

EVIDENCE_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


_ZIP_MAX_MEMBERS = 5000


_ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024


def sniff_type(data: bytes) -> str | None:
    """'pdf', 'png', 'jpeg', 'docx', 'xlsx' from the bytes, or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                infos = zf.infolist()
                if (
                    len(infos) > _ZIP_MAX_MEMBERS
                    or sum(i.file_size for i in infos) > _ZIP_MAX_UNCOMPRESSED
                ):
                    return None
                names = {i.filename for i in infos}
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def evidence_root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "evidence"


def evidence_path(evidence: Evidence) -> Path:
    """Where a local private storage keeps the file (tests; not defined for object stores)."""
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    path = (root / evidence.stored_name).resolve()
    if root not in path.parents:
        raise PermissionDenied
    return path


def evidence_open(evidence: Evidence):
    """The stored file, opened for reading (FileNotFoundError when it is gone)."""
    if not evidence.stored_name.startswith("evidence/") or ".." in evidence.stored_name:
        raise PermissionDenied
    return private_storage().open(evidence.stored_name, "rb")


def clean_name(name: str) -> str:
    name = Path(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"/\\|?*').strip(" .")
    return name[:200] or "file"


def check_evidence(data: bytes) -> str:
    """The sniffed type of an evidence file, or a ValidationError saying what is wrong."""
    if len(data) > settings.MKK_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large: at most %(mb)s MB.")
            % {"mb": settings.MKK_MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if not data:
        raise ValidationError(_("The file is empty."))
    kind = sniff_type(data)
    if kind is None:
        raise ValidationError(
            _("Only PDF, PNG, JPEG, Word (.docx) and Excel (.xlsx) files can be attached.")
        )
    return kind


def store_evidence(actor, update, name, data, kind, written: list[str]) -> Evidence:
    evidence = Evidence(
        update=update,
        stored_name=f"evidence/{secrets.token_hex(16)}",
        original_name=clean_name(name),
        content_type=EVIDENCE_TYPES[kind],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
    )
    evidence.full_clean()
    # Through the "private" storage (local folder, files 0600, or an object store); a write
    # that fails half way leaves nothing (mkk/ops/storage.py).
    evidence.stored_name = private_storage().save(evidence.stored_name, ContentFile(data))
    written.append(evidence.stored_name)
    evidence.save()
    return evidence
