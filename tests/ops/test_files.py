"""Private files: through the storage API, 0600 on disk, nothing left when a write fails."""

from __future__ import annotations

import datetime as dt
import errno
import os
import stat

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from mkk.directory.models import InstitutionKind as K
from mkk.plans import evidence as plan_evidence
from mkk.plans import services as plan_services
from mkk.plans.models import Evidence, ProgressUpdate
from tests.plans.helpers import make_plan

from .conftest import files_under

PDF = b"%PDF-1.4\n" + b"0" * 200_000 + b"\n%%EOF\n"  # 200 KB, larger than the tiny disk


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_private_storage_writes_owner_only_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    storage = storages["private"]
    os.umask(0o022)  # a usual umask: the storage must not depend on it
    name = storage.save("evidence/abc", ContentFile(b"secret"))
    path = settings.PRIVATE_MEDIA_ROOT / name
    assert path.read_bytes() == b"secret"
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700
    # never replaces an existing file: a second save gets another name
    other = storage.save("evidence/abc", ContentFile(b"other"))
    assert other != name and path.read_bytes() == b"secret"
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".partial-")]


def test_private_files_have_no_url(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    with pytest.raises(ValueError, match="no URL"):
        storages["private"].url("evidence/abc")


def test_write_failing_half_way_leaves_nothing(settings, tiny_disk):
    settings.PRIVATE_MEDIA_ROOT = tiny_disk
    with pytest.raises(OSError) as excinfo:
        storages["private"].save("reports/big.pdf", ContentFile(PDF))
    assert excinfo.value.errno == errno.ENOSPC
    assert files_under(tiny_disk) == []


def test_unwritable_folder_leaves_nothing(settings, readonly_dir):
    settings.PRIVATE_MEDIA_ROOT = readonly_dir
    with pytest.raises(OSError):
        storages["private"].save("evidence/x", ContentFile(b"data"))
    assert files_under(readonly_dir) == []


@pytest.fixture
def draft_update(world):
    plan = make_plan(world.drenas, lead_kind=K.SOCIAL_WORK, n_actions=1)
    action = plan.actions.get()
    return ProgressUpdate.objects.create(
        action=action,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 6, 30),
        status="in_progress",
    )


@pytest.mark.django_db
def test_evidence_file_is_0600(settings, tmp_path, world, draft_update):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    evidence = plan_services.evidence_add(
        actor=world.drenas.users["focal_social_work"],
        update=draft_update,
        name="raport.pdf",
        data=b"%PDF-1.4\nsmall\n%%EOF\n",
    )
    path = settings.PRIVATE_MEDIA_ROOT / evidence.stored_name
    assert _mode(path) == 0o600
    with plan_evidence.evidence_open(evidence) as fh:
        assert fh.read().startswith(b"%PDF-1.4")


@pytest.mark.django_db
def test_evidence_upload_on_a_full_disk_leaves_no_row_and_no_file(
    settings, world, tiny_disk, draft_update
):
    settings.PRIVATE_MEDIA_ROOT = tiny_disk
    with pytest.raises(OSError):
        plan_services.evidence_add(
            actor=world.drenas.users["focal_social_work"],
            update=draft_update,
            name="raport.pdf",
            data=PDF,
        )
    assert not Evidence.objects.exists()
    assert files_under(tiny_disk) == []


@pytest.mark.django_db
def test_evidence_upload_into_unwritable_folder_leaves_nothing(
    settings, world, readonly_dir, draft_update
):
    settings.PRIVATE_MEDIA_ROOT = readonly_dir
    with pytest.raises(OSError):
        plan_services.evidence_add(
            actor=world.drenas.users["focal_social_work"],
            update=draft_update,
            name="raport.pdf",
            data=b"%PDF-1.4\nsmall\n%%EOF\n",
        )
    assert not Evidence.objects.exists()
    assert files_under(readonly_dir) == []
