"""Reading minutes: the seed minutes field by field, other minute styles, deadlines, bad input, validate/apply, CLI."""

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from assurance.core.deadlines import resolve_deadline
from assurance.domain.commitments.minutes import apply, validate
from assurance.domain.setup import init_database
from assurance.sources.minutes import (
    MAX_MINUTES_BYTES,
    MinutesError,
    ProposalInvalid,
    deadline_phrase,
    decode_minutes,
    find_metric,
    parse_attendee,
    read_minutes,
)
from assurance.store.connection import connect
from tests.support import LATER_MINUTES, SEED_MINUTES
from tests.support import run_cli as run

ROOT = Path(__file__).resolve().parent.parent
SEED_NAME = "minutes-2024-11-27-aa-performance.txt"
SEED = SEED_MINUTES
SEED_JSON = ROOT / "data" / "meetings" / "2024-11-27-aa-performance.json"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "minutes"
MEETING_FIELDS = ("id", "held_on", "starts_at", "title", "kind", "quarter_discussed", "chair", "minute_taker")
TABLES = ("meetings", "attendees", "agenda_items", "actions", "recommendations", "pledges", "claims")


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text):
    return read_minutes(seed_text, source=f"seed/{SEED_NAME}")


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads(SEED_JSON.read_text(encoding="utf-8"))


@pytest.fixture()
def empty_db(tmp_path) -> Path:
    """A database with the schema and reference data but no meetings (init without demo)."""
    path = tmp_path / "empty.duckdb"
    init_database(path)
    return path


def _loose(text: str | None) -> str:
    return "".join(c for c in (text or "").lower() if c.isalnum())


# --------------------------------------------------------------------------- the seed minutes


def test_seed_meeting_fields_match_the_meeting_record(seed, expected):
    got = seed.to_meeting_json()
    assert {k: got[k] for k in MEETING_FIELDS} == {k: expected[k] for k in MEETING_FIELDS}
    assert got["source_document"] == expected["source_document"]
    assert set(got) == set(expected)


def test_seed_attendees_with_roles_abbreviations_and_organisations(seed, expected):
    assert seed.to_meeting_json()["attendees"] == expected["attendees"]
    assert [a.abbreviation for a in seed.attendees] == ["PCC", "DPCC", "CP", "CJ", "LM", "T/CC", "T/DCC"]


def test_seed_agenda_titles_and_notes(seed, expected):
    got = seed.to_meeting_json()["agenda"]
    assert len(got) == len(expected["agenda"]) == 4
    for mine, theirs in zip(got, expected["agenda"], strict=True):
        # the record corrects "Constables" to "Constable's"; compare the letters
        assert _loose(mine["title"]) == _loose(theirs["title"])
        assert (mine["notes"] is None) == (theirs["notes"] is None)
    assert got[0]["notes"] == expected["agenda"][0]["notes"]
    assert got[1]["notes"] == expected["agenda"][1]["notes"]
    assert got[2]["notes"] == expected["agenda"][2]["notes"]


def test_seed_exactly_three_actions_each_once_with_owner_and_due_meeting(seed, expected):
    got = seed.to_meeting_json()["actions"]
    assert got == expected["actions"]


def test_seed_four_recommendations_with_deadlines_as_written(seed, expected):
    got = seed.to_meeting_json()["recommendations"]
    structured = ("report", "report_published", "number", "deadline_text", "status")
    assert [{k: r[k] for k in structured} for r in got] == [
        {k: r[k] for k in structured} for r in expected["recommendations"]
    ]
    held_on = date(2024, 11, 27)
    assert [resolve_deadline(r["deadline_text"], held_on) for r in got] == [
        date(2025, 5, 31),
        date(2025, 9, 30),
        date(2025, 3, 31),
        date(2025, 1, 31),
    ]
    # free text: worded by the reader, not the editor of the record; it must still be about the same thing
    for rec in got:
        assert rec["subject"] and rec["force_response"]
        assert rec["deadline_text"].split()[-1].lower() in rec["force_response"].lower()
    assert "ASB incidents and crimes" in got[0]["subject"]
    assert "risk" in got[2]["subject"].lower()
    assert "problem solving plans" in got[3]["subject"].lower()


def test_seed_three_shropshire_pledges(seed, expected):
    assert seed.to_meeting_json()["pledges"] == expected["pledges"]


def test_seed_the_quoted_figures_split_into_three_claims(seed, expected):
    assert seed.to_meeting_json()["claims"] == expected["claims"]


def test_seed_reads_without_warnings_when_the_file_name_gives_the_year(seed):
    assert seed.warnings == []


def test_the_proposal_loads_through_the_meeting_file_loader(seed, empty_db):
    con = connect(empty_db)
    try:
        assert validate(seed.to_meeting_json(), con) == []
        assert apply(con, seed.to_meeting_json()) == "2024-11-27-aa-performance"
        rows = con.execute(
            "SELECT number, deadline_text, deadline_date FROM recommendations ORDER BY number"
        ).fetchall()
        assert rows[1] == (2, "the 30th of Sept deadline", date(2025, 9, 30))
        assert con.execute("SELECT due_quarter FROM pledges ORDER BY id").fetchall() == [
            ("2024/25 Q4",),
            ("2025/26 Q1",),
            ("2025/26 Q1",),
        ]
    finally:
        con.close()


# --------------------------------------------------------------------------- the meeting date


def test_a_missing_year_is_taken_from_the_weekday_and_said(seed_text):
    proposal = read_minutes(seed_text)
    assert proposal.meeting.held_on == date(2024, 11, 27)
    assert any("Wednesday" in w and "2024" in w for w in proposal.warnings)


def test_a_meeting_date_given_wins_and_a_differing_day_is_said(seed_text):
    proposal = read_minutes(seed_text, meeting_date=date(2024, 11, 28))
    assert proposal.meeting.held_on == date(2024, 11, 28)
    assert proposal.meeting.id == "2024-11-28-aa-performance"
    assert any("27 November" in w for w in proposal.warnings)


def test_no_date_at_all_asks_for_one():
    text = "Chair: John Campion\n- John Campion – Police and Crime Commissioner (PCC)\nReview of Actions\n"
    text += "ACTION: PCC to write to the Home Office at the next meeting.\n"
    proposal = read_minutes(text)
    assert proposal.meeting.held_on is None and proposal.meeting.id is None
    assert any("enter the meeting date" in w for w in proposal.warnings)
    assert proposal.actions[0].owner == "PCC"


# --------------------------------------------------------------------------- other minute styles


def test_governance_board_minutes_with_ref_headings_and_initials():
    proposal = read_minutes((FIXTURES / "governance-board-ref-style.txt").read_text(encoding="utf-8"))
    m = proposal.meeting
    assert (m.id, m.held_on, m.starts_at, m.kind, m.chair, m.minute_taker) == (
        "2023-06-21-estates-governance-board",
        date(2023, 6, 21),
        "14:00",
        "Estates Governance Board",
        "John Campion",
        "Lucy Milner",
    )
    # apologies are not attendees
    assert [(a.name, a.role, a.abbreviation, a.organisation) for a in proposal.attendees] == [
        ("John Campion", "Police and Crime Commissioner", "PCC", "OPCC"),
        ("Charity Pearce", "Senior Policy Officer", "CP", "OPCC"),
        ("Gareth Boulton", "Head of Estates", "GB", None),
        ("Sam Taylor", "Chief Superintendent", "ST", "West Mercia Police"),
    ]
    assert [a.title for a in proposal.agenda] == [
        "Minutes of the previous meeting",
        "Action log",
        "Shropshire estate",
        "Any other business",
    ]
    assert proposal.agenda[2].notes.startswith("Ref 03/21/06/2023")
    # "Action 04/15/03/2023 is complete" in the action log is history, not a new action
    assert [
        (a.text, a.owner, a.agenda_item, a.due_text, a.due_meeting_kind, a.due_meeting_quarter)
        for a in proposal.actions
    ] == [
        ("GB to circulate the condition survey to members by 30th June 2023.", "GB", 3, "30th June 2023", None, None),
        (
            "CP/GB to report back at the next meeting on the costs of the Bridgnorth refurbishment.",
            "CP/GB",
            3,
            "next meeting",
            "Estates Governance Board",
            None,
        ),
        ("ST to confirm the lease end date with Telford & Wrekin Council.", "ST", 4, None, None, None),
    ]
    assert resolve_deadline(proposal.actions[0].due_text, m.held_on) == date(2023, 6, 30)
    assert proposal.recommendations == [] and proposal.claims == [] and proposal.pledges == []


def test_aa_minutes_in_sentence_case_with_an_actions_list_and_a_summary():
    proposal = read_minutes((FIXTURES / "aa-sentence-case-2024-03.txt").read_text(encoding="utf-8"))
    m = proposal.meeting
    assert (m.id, m.starts_at, m.title, m.quarter_discussed) == (
        "2024-03-14-aa-performance",
        "10:00",
        "Accountability & Assurance meeting: Q3 performance",
        "2023/24 Q3",
    )
    assert [(a.name, a.abbreviation) for a in proposal.attendees] == [
        ("John Campion", "PCC"),
        ("Marc Bayliss", "DPCC"),
        ("Pippa Mills", "CC"),
        ("Julian Moss", "DCC"),
    ]
    assert [a.title for a in proposal.agenda] == [
        "Review of Action Tracker",
        "Quarterly Performance Report",
        "HMICFRS PEEL Update",
        "Summary of Actions",
    ]
    # four actions: the summary repeats all four (one without its full stop), each counted once
    assert [
        (a.owner, a.agenda_item, a.due_text, a.due_meeting_kind, a.due_meeting_quarter) for a in proposal.actions
    ] == [
        ("CC", 2, "next A&A performance meeting", "A&A performance", "2023/24 Q4"),
        ("DCC", 2, "end of April 2024", None, None),
        ("MB", 3, None, None, None),  # "for the Police and Crime Panel" is an audience, not a due meeting
        ("JM/PM", 3, "Q1 Performance A&A meeting", "A&A performance", "2024/25 Q1"),
    ]
    # a hard-wrapped line is joined back into its sentence
    assert proposal.actions[0].text.endswith("at the next A&A performance meeting.")
    assert [(r.report, r.report_published, r.number, r.subject, r.deadline_text) for r in proposal.recommendations] == [
        ("PEEL 2023–25: An inspection of West Mercia Police", date(2023, 9, 28), 1, "Crime recording", "31st May 2024"),
        (
            "PEEL 2023–25: An inspection of West Mercia Police",
            date(2023, 9, 28),
            2,
            "Investigation standards",
            "summer 2024",
        ),
    ]
    assert [(p.owner, p.area, p.metric, p.direction, p.horizon_months) for p in proposal.pledges] == [
        ("CC", "telford_and_wrekin", "open_investigations", "decrease", 6)
    ]
    assert [
        (c.speaker, c.metric, c.area, c.quarter, c.period, c.comparison, c.stated_value, c.tolerance)
        for c in proposal.claims
    ] == [
        (
            "CC",
            "violence_against_the_person",
            "force",
            "2023/24 Q3",
            "rolling_12_months",
            "previous_12_months",
            -4.2,
            0.05,
        ),
        ("CC", "victim_satisfaction", "north_worcestershire", "2023/24 Q3", "quarter", "none", 71.5, 0.05),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "- John Campion – Police and Crime Commissioner (PCC)",
            ("John Campion", "Police and Crime Commissioner", "PCC", "OPCC"),
        ),
        ("- Chris Jensen-Policy Officer (CJ)", ("Chris Jensen", "Policy Officer", "CJ", "OPCC")),
        (
            "- Richard Cooper-T/ Chief Constable (T/CC)",
            ("Richard Cooper", "Temporary Chief Constable", "T/CC", "West Mercia Police"),
        ),
        (
            "- Rachel Jones -T/ Deputy Chief Constable (T/DCC)",
            ("Rachel Jones", "Temporary Deputy Chief Constable", "T/DCC", "West Mercia Police"),
        ),
        ("• Mary Smith-Jones - Head of Finance", ("Mary Smith-Jones", "Head of Finance", "MSJ", None)),
        (
            "Tom Harding (Assistant Chief Constable)",
            ("Tom Harding", "Assistant Chief Constable", "ACC", "West Mercia Police"),
        ),
        ("Andy Champness (AC) – Chief Executive, OPCC", ("Andy Champness", "Chief Executive, OPCC", "AC", "OPCC")),
        ("Jo Dunn, Superintendent", ("Jo Dunn", "Superintendent", "JD", "West Mercia Police")),
        ("John Campion (PCC)", ("John Campion", "Police and Crime Commissioner", "PCC", "OPCC")),
    ],
)
def test_attendee_lines_in_their_variants(line, expected):
    attendee, _chair = parse_attendee(line)
    assert (attendee.name, attendee.role, attendee.abbreviation, attendee.organisation) == expected


@pytest.mark.parametrize(
    "line", ["Review of Action Tracker", "The PCC thanked the T/CC.", "- Increasing detection rates"]
)
def test_lines_that_are_not_attendees(line):
    assert parse_attendee(line) is None


@pytest.mark.parametrize(
    ("action_line", "owner"),
    [
        ("ACTION: T/CC to inform the OPCC of the details of the forthcoming Op Presence.", "T/CC"),
        ("Action: The T/DCC to share the audit findings.", "T/DCC"),
        ("Action: CP to circulate the paper to members.", "CP"),
        ("Action: JC/MB to meet the Chief Executive of Shropshire Council.", "JC/MB"),
        ("Action: CP and CJ to draft the response.", "CP/CJ"),
        ("Action (LM): Arrange the next meeting.", "LM"),
        ("Action: Circulate the estates strategy to members (Owner: CP)", "CP"),
        ("Action: Circulate the estates strategy to members – CP", "CP"),
        ("Action: It was agreed that CJ would write to the Chief Constable.", "CJ"),
        ("Action: Charity Pearce to update the risk register.", "CP"),
        ("ACTION: Provide a paper on demand.", None),
    ],
)
def test_action_owners_from_the_text(action_line, owner):
    text = (
        "Date: 21st June 2023\n- Charity Pearce – Senior Policy Officer (CP)\nReview of Actions\nDiscussion followed.\n"
    )
    proposal = read_minutes(text + action_line + "\n")
    (action,) = proposal.actions
    assert action.owner == owner
    assert ("has no owner" in " ".join(proposal.warnings)) == (owner is None)


def test_summary_actions_are_counted_once_and_a_new_one_in_the_summary_is_kept():
    text = """Date: 21st June 2023
Chair: John Campion
Performance Update
The PCC asked about response times.
ACTION: The T/CC to report on response times at the Q2 performance A&A meeting.
Action: CP to write to the Home Office.
Summary of Actions Arising
- T/CC to report on response times at the Q2 Performance A&A meeting
- CP to write to the Home Office.
- LM to book the room for the next meeting.
"""
    proposal = read_minutes(text)
    assert [(a.owner, a.agenda_item) for a in proposal.actions] == [("T/CC", 1), ("CP", 1), ("LM", 2)]
    assert proposal.actions[0].text.startswith("The T/CC to report")


# --------------------------------------------------------------------------- deadlines

SAID_ON = date(2024, 11, 27)


@pytest.mark.parametrize(
    ("sentence", "phrase", "resolves_to"),
    [
        (
            "the Force Crime Registrar is going to conduct a thematic audit in spring 2025.",
            "spring 2025",
            date(2025, 5, 31),
        ),
        (
            "The training will be fully delivered before the 30th of Sept deadline.",
            "the 30th of Sept deadline",
            date(2025, 9, 30),
        ),
        (
            "on track to deliver improvements to ASB risk management by the 31st of Mar 25.",
            "31st of Mar 25",
            date(2025, 3, 31),
        ),
        ("The new framework should be live by the end of Jan 2025.", "end of Jan 2025", date(2025, 1, 31)),
        ("It will be in place by 31 May 2025.", "31 May 2025", date(2025, 5, 31)),
        ("Delivered by 31/03/2025.", "31/03/2025", date(2025, 3, 31)),
        ("Complete by 2025-06-30.", "2025-06-30", date(2025, 6, 30)),
        ("Due by March 31st 2025.", "March 31st 2025", date(2025, 3, 31)),  # month first
        # ambiguous: resolved to the END of the named period
        ("Delivered in summer 2025.", "summer 2025", date(2025, 8, 31)),
        ("Delivered in autumn 2025.", "autumn 2025", date(2025, 11, 30)),
        ("Delivered in winter 2024.", "winter 2024", date(2025, 2, 28)),
        ("Delivered in January 2025.", "January 2025", date(2025, 1, 31)),
        ("Live in late spring 2025.", "late spring 2025", date(2025, 5, 31)),
        # a day without a year: the next such day after the meeting
        ("Before the 10th of October deadline.", "the 10th of October deadline", date(2025, 10, 10)),
        ("By 20th December.", "20th December", date(2024, 12, 20)),
        # kept as written but not resolvable: the UI says so
        ("By the end of the financial year.", "end of the financial year", None),
        ("Early 2025.", "Early 2025", None),
        ("No date was given.", None, None),
    ],
)
def test_deadline_phrases_as_written_and_as_dates(sentence, phrase, resolves_to):
    assert deadline_phrase(sentence) == phrase
    assert resolve_deadline(phrase, SAID_ON) == resolves_to


def test_an_unresolvable_recommendation_deadline_is_kept_and_warned():
    text = """Date: 27th November 2024
HMICFRS Update
The PCC asked about the “Police Response to Anti-Social Behaviour” report published on the 10th of October.
Recommendation 1:
The T/DCC said this would be complete by the end of the financial year.
"""
    proposal = read_minutes(text)
    (rec,) = proposal.recommendations
    assert (rec.report_published, rec.deadline_text) == (date(2024, 10, 10), "end of the financial year")
    assert any("does not resolve" in w for w in proposal.warnings)


@pytest.mark.parametrize(
    ("phrase", "metric"),
    [
        ("Increasing detection rates", "positive_outcome_rate"),
        ("violent crime", "violence_against_the_person"),
        ("total recorded crime", "total_recorded_crime"),
        ("999 call handling", "calls_999_within_10s"),
        ("case closure times", "median_days_to_close"),
        ("emergency response times", "emergency_response_median_minutes"),
        ("emergencies responded to within target", "emergency_within_target"),
        ("Improving employee sickness rates", "sickness_days_per_officer"),
        ("a briefing for the Police and Crime Panel", None),
    ],
)
def test_metric_keywords(phrase, metric):
    assert find_metric(phrase) == metric


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("text", ["", "   \n\t  \n"])
def test_empty_minutes_are_refused_plainly(text):
    with pytest.raises(MinutesError, match="The minutes are empty"):
        read_minutes(text)


def test_binary_bytes_are_refused_plainly():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    with pytest.raises(MinutesError, match="binary file, not minutes text"):
        decode_minutes(png)
    with pytest.raises(MinutesError, match="binary file"):
        read_minutes("".join(chr(c) for c in range(1, 32)) * 20)


def test_huge_text_is_refused_with_its_size():
    big = "x" * 3_200_000
    with pytest.raises(MinutesError, match=r"is 3\.2 MB; minutes over 1 MB are refused"):
        read_minutes(big)
    with pytest.raises(MinutesError, match=r"minutes\.txt is 3\.2 MB"):
        decode_minutes(big.encode(), source="minutes.txt")
    assert MAX_MINUTES_BYTES == 1_000_000


def test_windows_1252_and_bom_text_decodes():
    assert decode_minutes("Shropshire LPA’s estate – £5".encode("cp1252")) == "Shropshire LPA’s estate – £5"
    assert decode_minutes("\ufeffDate: 27th November".encode()) == "Date: 27th November"
    assert decode_minutes("Date: 27th November".encode("utf-16")) == "Date: 27th November"


def test_undecodable_bytes_get_a_message():
    with pytest.raises(MinutesError, match="could not be read as text"):
        decode_minutes(b"Date \x81\x8d\x8f\x90\x9d")


def test_text_with_no_meeting_in_it_is_refused():
    with pytest.raises(MinutesError, match="No meeting record found"):
        read_minutes("hello")


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)> **bold** [link](javascript:alert(1))'


def test_html_and_script_in_an_action_survive_as_literal_text():
    text = (
        f"Date: 27th November 2024\nReview of Actions\nDiscussion.\nACTION: T/CC to check {XSS} by 31st March 2025.\n"
    )
    proposal = read_minutes(text)
    (action,) = proposal.actions
    assert XSS in action.text
    assert action.owner == "T/CC"
    assert json.loads(json.dumps(proposal.to_meeting_json()))["actions"][0]["text"] == action.text


# --------------------------------------------------------------------------- validate and apply


def test_validate_lists_every_problem(empty_db, seed):
    record = seed.to_meeting_json()
    record["quarter_discussed"] = "2024 Q2"
    record["actions"][0]["owner"] = " "
    record["actions"][1]["agenda_item"] = 9
    record["pledges"][0]["area"] = "birmingham"
    record["claims"][0]["metric"] = "happiness"
    record["claims"][1]["quarter"] = "Q2"
    record["recommendations"][0]["report_published"] = None
    con = connect(empty_db)
    try:
        problems = validate(record, con)
    finally:
        con.close()
    text = "\n".join(problems)
    assert "Meeting: quarter discussed" in text
    assert "Action 1: the owner is missing" in text
    assert "Action 2: agenda item 9 is not on the agenda" in text
    assert "Pledge 1: unknown area 'birmingham'" in text
    assert "Claim 1: unknown metric 'happiness'" in text
    assert "Claim 2:" in text
    assert "Recommendation 1: the report's publication date is missing" in text
    assert len(problems) == 7


def test_apply_writes_everything_in_one_transaction_or_nothing(empty_db, seed):
    record = seed.to_meeting_json()
    record["claims"][2]["stated_value"] = "not a number"  # caught by validation: nothing written
    con = connect(empty_db)
    try:
        with pytest.raises(ProposalInvalid) as caught:
            apply(con, record)
        assert caught.value.problems == ["Claim 3: the stated value is not a number"]
        record = seed.to_meeting_json()
        record["pledges"][2]["horizon_months"] = 10**12  # passes validation, fails in the database (INTEGER)
        with pytest.raises(Exception):  # noqa: B017 - any database error; what matters is that nothing is left
            apply(con, record)
        assert [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES] == [0] * len(TABLES)  # noqa: S608
    finally:
        con.close()


def test_apply_refuses_a_meeting_already_held(empty_db, seed):
    con = connect(empty_db)
    try:
        apply(con, seed.to_meeting_json())
        with pytest.raises(ProposalInvalid, match="already in the database"):
            apply(con, seed.to_meeting_json())
        assert con.execute("SELECT count(*) FROM actions").fetchone()[0] == 3
    finally:
        con.close()


def test_a_recommendation_discussed_again_is_updated_not_duplicated(empty_db, seed):
    later = LATER_MINUTES
    con = connect(empty_db)
    try:
        apply(con, seed.to_meeting_json())
        mid = apply(con, read_minutes(later).to_meeting_json(), changed_by="Charity Pearce")
        rows = con.execute(
            "SELECT deadline_text, deadline_date, meeting_id FROM recommendations WHERE number = 4"
        ).fetchall()
        assert rows == [("end of April 2025", date(2025, 4, 30), mid)]
        audit = con.execute(
            "SELECT entity, operation, field, old_value, new_value FROM audit_log"
            " WHERE changed_by = 'Charity Pearce' ORDER BY id"
        ).fetchall()
        assert audit[0][:3] == ("meeting", "create", "title")
        # Every field the import changed on the recommendation already held, with its old and new value.
        changed = {row[2]: (row[3], row[4]) for row in audit[1:] if row[:2] == ("recommendation", "update")}
        assert set(changed) == {"force_response", "deadline_text", "deadline_date", "meeting_id"}
        assert changed["deadline_text"][1] == "end of April 2025"
        assert changed["deadline_date"] == ("2025-01-31", "2025-04-30")
        assert changed["meeting_id"] == ("2024-11-27-aa-performance", mid)
        assert len(audit) == 1 + len(changed)
    finally:
        con.close()


def test_apply_saves_a_meeting_with_no_recommendations_pledges_or_claims(empty_db):
    record = read_minutes((FIXTURES / "governance-board-ref-style.txt").read_text(encoding="utf-8")).to_meeting_json()
    assert (record["recommendations"], record["pledges"], record["claims"]) == ([], [], [])
    con = connect(empty_db)
    try:
        assert apply(con, record) == "2023-06-21-estates-governance-board"
        assert [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES] == [1, 4, 4, 3, 0, 0, 0]  # noqa: S608
    finally:
        con.close()


# --------------------------------------------------------------------------- CLI


def _counts(path: Path) -> list[int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES]  # noqa: S608
    finally:
        con.close()


def test_cli_json_prints_the_proposal(tmp_path):
    result = run("minutes", SEED, "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert len(record["actions"]) == 3 and record["id"] == "2024-11-27-aa-performance"
    assert "Traceback" not in result.stderr


def test_cli_summary_without_flags():
    result = run("minutes", FIXTURES / "governance-board-ref-style.txt")
    assert result.returncode == 0, result.stderr
    assert "Actions (3):" in result.stdout and "[CP/GB]" in result.stdout


def test_cli_apply_saves_once_then_refuses_the_same_meeting(empty_db):
    first = run("minutes", SEED, "--apply", "--db", empty_db)
    assert first.returncode == 0, first.stderr
    assert "Saved meeting 2024-11-27-aa-performance" in first.stdout
    saved = _counts(empty_db)
    assert saved == [1, 7, 4, 3, 4, 3, 3]
    second = run("minutes", SEED, "--apply", env_db=empty_db)
    assert second.returncode == 2
    assert "already in the database" in second.stderr and "Traceback" not in second.stderr
    assert _counts(empty_db) == saved


def test_cli_apply_lists_every_problem_and_saves_nothing(tmp_path, empty_db):
    minutes = tmp_path / "minutes.txt"
    minutes.write_text(
        "Chair: John Campion\n- John Campion – Police and Crime Commissioner (PCC)\nReview of Actions\nText.\n"
        "ACTION: Write to the Home Office.\n",
        encoding="utf-8",
    )
    result = run("minutes", minutes, "--apply", "--db", empty_db)
    assert result.returncode == 2
    assert "the id is missing" in result.stderr and "Action 1: the owner is missing" in result.stderr
    assert _counts(empty_db) == [0] * len(TABLES)
    dated = run("minutes", minutes, "--json", "--date", "2024-06-05")
    assert json.loads(dated.stdout)["held_on"] == "2024-06-05"


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "The minutes are empty"), (b"\x00\x01\x02binary", "binary file"), (b"x" * 1_100_000, "1.1 MB")],
    ids=["empty", "binary", "huge"],
)
def test_cli_bad_files_exit_2_with_a_message(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = run("minutes", path, "--json")
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_cli_missing_file_exit_2_with_its_name(tmp_path):
    result = run("minutes", tmp_path / "nowhere.txt")
    assert result.returncode == 2
    assert "nowhere.txt" in result.stderr


def test_cli_bad_date_is_a_usage_error():
    result = run("minutes", SEED, "--date", "27/11/2024")
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr
