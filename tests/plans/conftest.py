from __future__ import annotations

from pathlib import Path

import pytest

SEED = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "mkk"
    / "seeds"
    / "drenas-local-action-plan-2025-2028.txt"
)


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED.read_bytes()


@pytest.fixture
def drenas_directory(db):
    """The demo registry (Drenas' institutions with the names and aliases the plan uses)."""
    from mkk.directory import demo

    return demo.load()


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT
