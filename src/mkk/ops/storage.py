"""The "private" storage: evidence, frozen reports and pending plan imports.

Local by default (``PRIVATE_MEDIA_ROOT``, outside the web root), read through access-checking
views only. Each file is written to a temporary file created 0600 in the target folder and
linked into place only once complete, so a write that fails half way (disk full, folder not
writable) leaves nothing behind and no other user ever sees a partial or readable file.
"""

from __future__ import annotations

import errno
import os
import tempfile

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils._os import safe_makedirs
from django.utils.deconstruct import deconstructible


@deconstructible(path="mkk.ops.storage.PrivateFileSystemStorage")
class PrivateFileSystemStorage(FileSystemStorage):
    def __init__(self, location=None, **kwargs):
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(location=location, **kwargs)

    # Follows settings.PRIVATE_MEDIA_ROOT (read each time, so tests may change it).
    @property
    def base_location(self):
        return self._value_or_setting(self._location, str(settings.PRIVATE_MEDIA_ROOT))

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):  # never served directly
        return None

    def url(self, name):
        raise ValueError("private files have no URL; serve them through a view")

    def _save(self, name, content):
        while True:
            full_path = self.path(name)
            directory = os.path.dirname(full_path)
            safe_makedirs(directory, 0o700, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=directory, prefix=".partial-")  # created 0600
            try:
                with os.fdopen(fd, "wb") as fh:
                    if hasattr(content, "seek"):
                        content.seek(0)
                    for chunk in content.chunks():
                        fh.write(chunk if isinstance(chunk, bytes) else chunk.encode())
                    fh.flush()
                    os.fsync(fh.fileno())
                try:
                    os.link(tmp, full_path)  # never replaces an existing file
                except FileExistsError:
                    name = self.get_available_name(name)
                    continue
                except OSError as exc:
                    # File systems without hard links: rename (names are random; checked).
                    if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EMLINK):
                        raise
                    if os.path.exists(full_path):
                        name = self.get_available_name(name)
                        continue
                    os.rename(tmp, full_path)
                    return str(name).replace("\\", "/")
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
            return str(name).replace("\\", "/")


def private_storage():
    return storages["private"]
