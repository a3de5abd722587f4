"""The static security scan (bandit) of the application code: no finding without an explanation.

CI runs `python -m pytest`, so the scan is a test. An accepted finding carries an inline
`# nosec BXXX # reason` where it occurs (or a comment saying why on the line above); nothing is
skipped wholesale in the `[tool.bandit]` section of pyproject.toml.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ["assurance", "ui", "app_pages", "app.py", "dashboard.py"]
NOSEC = re.compile(r"#\s*nosec\b(?P<rest>.*)$")
NAMED = re.compile(r"^:?\s*(?P<ids>B\d{3}(?:\s*,\s*B\d{3})*)\s*(?P<after>.*)$")


def test_bandit_finds_nothing_unexplained() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-c", "pyproject.toml", "-r", *SCANNED, "-q", "-f", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    report = json.loads(result.stdout)
    findings = [
        f"{r['filename']}:{r['line_number']} {r['test_id']} ({r['issue_severity']}): {r['issue_text']}"
        for r in report["results"]
    ]
    assert not findings, "bandit findings; fix them, or explain each with `# nosec BXXX # reason`:\n" + "\n".join(
        findings
    )
    assert report["errors"] == [], report["errors"]
    assert result.returncode == 0, result.stderr
    assert report["metrics"]["_totals"]["loc"] > 5000  # the code was really scanned


def _python_files() -> list[Path]:
    files = [ROOT / "app.py", ROOT / "dashboard.py"]
    for folder in SCANNED[:-2]:
        files.extend(sorted((ROOT / folder).rglob("*.py")))
    return files


def test_every_nosec_names_the_check_and_says_why() -> None:
    unexplained = []
    for path in _python_files():
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            match = NOSEC.search(line)
            if not match:
                continue
            named = NAMED.match(match.group("rest").strip())
            reason_here = bool(named and named.group("after").lstrip("#").strip())
            reason_above = number > 1 and lines[number - 2].strip().startswith("#")
            if not named or not (reason_here or reason_above):
                unexplained.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not unexplained, "each `# nosec` names its check (B608) and gives a reason:\n" + "\n".join(unexplained)
