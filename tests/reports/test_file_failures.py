"""A report whose files cannot be written (full disk, read-only folder) leaves no file and no
row behind, and the report stays where it was."""

from __future__ import annotations

import pytest

from mkk.reports import services
from mkk.reports.models import ReportFile, ReportStatus
from tests.ops.conftest import files_under, readonly_dir, tiny_disk  # noqa: F401 - fixtures

from .conftest import GJILAN_END, GJILAN_START


def _draft(gjilan, coordinator):
    report = services.report_create(
        actor=coordinator,
        municipality=gjilan,
        start=GJILAN_START,
        end=GJILAN_END,
        language="sq",
        title="Raporti 2019",
    )
    return services.report_send_to_review(actor=coordinator, report=report)


@pytest.mark.django_db
@pytest.mark.parametrize("folder", ["tiny_disk", "readonly_dir"])
def test_submit_with_unwritable_files_leaves_no_orphan(
    request, settings, gjilan, gjilan_coordinator, folder
):
    root = request.getfixturevalue(folder)
    settings.PRIVATE_MEDIA_ROOT = root
    report = _draft(gjilan, gjilan_coordinator)
    with pytest.raises(OSError):
        services.report_submit(actor=gjilan_coordinator, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_REVIEW
    assert not ReportFile.objects.exists()
    assert files_under(root) == []
