"""The dashboard's pages: one registry that dashboard.py builds the navigation from and the tests take paths from.

Each page says the least role that gets it in the navigation. A viewer reads every page that shows the data or
the commitments (pages with write controls hide them from a viewer, and the library refuses a viewer's write
whatever a page shows); the pages that only exist to change the data (importing minutes, loading files) are
an editor's. Streamlit runs only pages in the navigation: a deep link to a page a role does not get opens the
default page with Streamlit's "Page not found" notice, never the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from assurance.domain.access import ROLES

VIEWER, EDITOR, ADMIN = ROLES  # the least role that gets a page, lowest first


@dataclass(frozen=True)
class Page:
    name: str  # the file's stem in app_pages/
    title: str
    icon: str
    url_path: str
    section: str
    role: str = VIEWER
    default: bool = False

    @property
    def path(self) -> str:
        """The page's script, relative to dashboard.py (what st.Page and AppTest.switch_page take)."""
        return f"app_pages/{self.name}.py"


PAGES: tuple[Page, ...] = (
    Page("overview", "Overview", "📈", "overview", "Performance", default=True),
    Page("lpa", "LPA against the force", "🗺️", "lpa", "Performance"),
    Page("compare", "Compare LPAs", "⚖️", "compare", "Performance"),
    Page("where_to_look", "Where to look", "🔎", "where-to-look", "Performance"),
    Page("trend", "Trend (SPC)", "📉", "trend", "Performance"),
    Page("national", "England and Wales", "🌍", "national", "Performance"),
    Page("actions", "Action tracker", "✅", "actions", "Commitments"),
    Page("pledges_claims", "Pledges and figures quoted", "🎯", "pledges", "Commitments"),
    Page("recommendations", "HMICFRS recommendations", "🏛️", "recommendations", "Commitments"),
    Page("commitments", "Meetings and commitments", "📝", "commitments", "Commitments"),
    Page("minutes_import", "Import minutes", "📥", "import-minutes", "Commitments", role=EDITOR),
    Page("briefing", "Briefing pack", "📄", "briefing", "Meeting"),
    Page("meeting", "Meeting room display", "🖥️", "meeting", "Meeting"),
    Page("data", "Data: imports and loads", "📦", "data", "Data", role=EDITOR),
    Page("about_data", "About the data", "ℹ️", "about-data", "Data"),
    Page("access", "Access and roles", "🔑", "access", "Data"),
)
# Meeting mode (?mode=meeting): the room's screen, alone, for any signed-in viewer.
MEETING_DISPLAY = Page("meeting", "Meeting", "🖥️", "meeting", "Meeting", default=True)

_BY_NAME = {page.name: page for page in PAGES}


def page(name: str) -> Page:
    """The page whose script is app_pages/<name>.py; a KeyError naming the pages for any other name."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no page {name!r}; the pages are {', '.join(_BY_NAME)}") from None


def path(name: str) -> str:
    """app_pages/<name>.py, for a page in the registry."""
    return page(name).path


def allowed(entry: Page, role: str) -> bool:
    return ROLES.index(role) >= ROLES.index(entry.role)


def for_role(role: str) -> dict[str, list[Page]]:
    """The pages a role gets, by section, in navigation order."""
    sections: dict[str, list[Page]] = {}
    for entry in PAGES:
        if allowed(entry, role):
            sections.setdefault(entry.section, []).append(entry)
    return sections
