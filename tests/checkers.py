"""The two outside judges of every page, shared by the tests that call them.

- **axe-core** (WCAG 2.1 A and AA), the copy axe-playwright-python ships, run in chromium on
  the page as it is. It is injected once per document, and only the violations are built and
  sent back (``resultTypes``: every rule still runs on every node; only the list of passed
  checks is not collected).
- **The Nu Html Checker** (vnu.jar, `make vnu`) over a batch of files in one JVM. The JVM runs
  with the client compiler only and the serial collector: a batch of a hundred pages takes a
  third of the CPU time of the default flags, with the same messages. The checker needs a larger
  thread stack than the default to evaluate the HTML schema.
"""

from __future__ import annotations

import json
import subprocess
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VNU = ROOT / ".venv" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JVM_FLAGS = ("-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
AXE_RUN = "options => axe.run(document, options).then(results => results.violations)"


@cache
def axe_path() -> Path:
    from axe_playwright_python import sync_playwright as axe_package

    return Path(axe_package.__file__).with_name("axe.min.js")


@cache
def _axe_source() -> str:
    return axe_path().read_text()


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page's current document (axe injected if it is not there:
    a page opened with ``add_init_script(axe_path())`` has it already)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    return page.evaluate(AXE_RUN, AXE_OPTIONS)


def describe(violations: list[dict]) -> list[str]:
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in violations]


def nu_messages(files: list[Path | str]) -> list[dict]:
    """The Nu Html Checker's errors for the files, in one run (the caller skips when ``VNU``
    does not exist). A checker that fails without a report fails the test."""
    result = subprocess.run(  # noqa: S603
        ["java", *JVM_FLAGS, "-jar", str(VNU), "--errors-only", "--format", "json"]  # noqa: S607
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        report = json.loads(result.stderr or "{}")
    except json.JSONDecodeError as error:
        raise AssertionError(f"the Nu Html Checker failed: {result.stderr[:2000]}") from error
    return report.get("messages", [])


def assert_accessible(page, name: str) -> None:
    """No axe-core violation on the page (``name`` says which page in the message)."""
    violations = axe_violations(page)
    assert not violations, f"{name}: " + "; ".join(describe(violations))
