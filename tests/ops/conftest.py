"""Real failing folders: a read-only one and a nearly full disk (tmpfs), no mocks."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest


def _mount_tmpfs(path: Path, options: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


def _umount(path: Path) -> None:
    subprocess.run(["umount", str(path)], capture_output=True, check=False)


@pytest.fixture
def readonly_dir(tmp_path):
    """A folder no write can go into: a read-only tmpfs as root, else mode 0555."""
    path = tmp_path / "readonly"
    if _mount_tmpfs(path, "ro,size=64k,mode=0755"):
        yield path
        _umount(path)
    else:
        path.mkdir(exist_ok=True)
        path.chmod(0o555)
        yield path
        path.chmod(0o755)


@pytest.fixture
def tiny_disk(tmp_path):
    """A 64 KiB file system (tmpfs): a larger file fails half way with 'no space left'."""
    path = tmp_path / "tiny"
    if not _mount_tmpfs(path, "size=64k,mode=0700"):
        pytest.skip("mounting a small tmpfs needs root (CAP_SYS_ADMIN)")
    yield path
    _umount(path)


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]
