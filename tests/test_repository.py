"""The repository itself: runs from a bare clone, keeps its pages where sign-in guards them, cites its fixtures."""

from __future__ import annotations

import hashlib
import re

from tests.support import FIXTURES, ROOT

SHARED_REACH = re.compile(r"""\.\./shared|["']shared["']""")


def test_no_pages_folder_so_deep_links_cannot_skip_sign_in():
    """A pages/ folder beside dashboard.py turns on Streamlit's legacy multipage runner, whose deep links run a
    page without dashboard.py, so without the sign-in gate. The pages live in app_pages/ (README, How it is built)."""
    assert not (ROOT / "pages").exists(), "rename pages/ to app_pages/: a pages/ folder lets deep links skip sign-in"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = " ".join(readme.split("## How it is built", 1)[1].split())
    assert "app_pages/" in layout and "legacy multipage runner" in layout and "sign-in" in layout


def test_no_test_reads_the_shared_folder():
    """The suite passes on a bare clone: the real files tests need are copied into tests/fixtures/."""
    reaching = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if SHARED_REACH.search(path.read_text(encoding="utf-8"))
    ]
    assert reaching == []


def test_every_real_fixture_is_listed_with_its_sha256():
    """tests/fixtures/SOURCES.md names each real file with the SHA-256 of the bytes as published."""
    sources = (FIXTURES / "SOURCES.md").read_text(encoding="utf-8")
    for path in sorted((FIXTURES / "police_uk").iterdir()):
        assert f"`{path.name}`" in sources, f"{path.name} is not in tests/fixtures/SOURCES.md"
        assert hashlib.sha256(path.read_bytes()).hexdigest() in sources, f"{path.name} changed since it was copied"
