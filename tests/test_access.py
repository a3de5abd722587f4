"""Roles in the library: every write refuses a viewer, an editor's change is audited under their identity,
an unknown identity gets the configured default role, and without roles or sign-in the local user edits."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from assurance.core.errors import InvalidInput
from assurance.domain import access
from assurance.domain.access import AccessDenied, Actor
from assurance.domain.backup import backup_file, restore
from assurance.domain.commitments.actions import add_action, add_update, edit_action, schedule_meeting, set_status
from assurance.domain.commitments.agenda import add_agenda_item, edit_agenda_item, move_agenda_item, remove_agenda_item
from assurance.domain.commitments.minutes import apply
from assurance.domain.commitments.recommendations import add_recommendation, edit_recommendation
from assurance.domain.loads import load, undo
from assurance.domain.rebases import add_rebase, remove_rebase
from assurance.sources import read_files
from assurance.store.connection import connect
from assurance.store.schema import table_counts

ROOT = Path(__file__).resolve().parent.parent
MID = "2024-11-27-aa-performance"
POR = "positive_outcome_rate"
GOOD = ROOT / "tests" / "fixtures" / "imports" / "good_return.csv"
SEED_JSON = ROOT / "data" / "meetings" / f"{MID}.json"
VIEWER, EDITOR, ADMIN = "viewer@opcc.example", "Editor@OPCC.example", "admin@opcc.example"

ROLES_TOML = f"""
default_role = "viewer"

[users]
"{VIEWER}" = "viewer"
"{EDITOR.lower()}" = "editor"
"{ADMIN}" = "admin"

[groups]
"OPCC Policy Officers" = "editor"
"""


@pytest.fixture()
def roles(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "roles.toml"
    path.write_text(ROLES_TOML, encoding="utf-8")
    monkeypatch.setenv(access.ROLES_ENV, str(path))
    monkeypatch.setattr(access, "SECRETS_FILES", ())
    return path


@pytest.fixture()
def no_roles_no_auth(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv(access.ROLES_ENV, raising=False)
    monkeypatch.setattr(access, "DEFAULT_ROLES_FILE", tmp_path / "no-roles.toml")
    monkeypatch.setattr(access, "SECRETS_FILES", (tmp_path / "no-secrets.toml",))


@pytest.fixture()
def db(seeded_db, tmp_path) -> Path:
    path = tmp_path / "access.duckdb"
    shutil.copyfile(seeded_db, path)
    return path


def _first(con, sql: str):
    return con.execute(sql).fetchone()[0]


def _undo_setup(con) -> None:
    load(con, read_files([GOOD]), by=EDITOR)


# Every library write that a page or the command line can reach: (name, call(con, by), setup, editor check).
WRITES = [
    ("add_action", lambda con, by: add_action(con, meeting_id=MID, text="Report back", owner="ACC", by=by)),
    ("edit_action", lambda con, by: edit_action(con, 1, by=by, text="Report back on the new plan")),
    ("add_update", lambda con, by: add_update(con, 1, text="Done in part", given_on=date(2025, 1, 10), by=by)),
    ("set_status", lambda con, by: set_status(con, 1, "closed", by=by, reason="done")),
    (
        "schedule_meeting",
        lambda con, by: schedule_meeting(con, held_on=date(2025, 3, 5), quarter_discussed="2024/25 Q3", by=by),
    ),
    (
        "add_recommendation",
        lambda con, by: add_recommendation(
            con, report="PEEL 2025", report_published=None, number=7, subject="Call handling", by=by
        ),
    ),
    (
        "edit_recommendation",
        lambda con, by: edit_recommendation(
            con, _first(con, "SELECT min(id) FROM recommendations"), by=by, evidence="New evidence"
        ),
    ),
    ("add_agenda_item", lambda con, by: add_agenda_item(con, MID, title="Any other business", by=by)),
    ("edit_agenda_item", lambda con, by: edit_agenda_item(con, MID, 1, by=by, notes="Changed notes")),
    ("move_agenda_item", lambda con, by: move_agenda_item(con, MID, 1, 2, by=by)),
    ("remove_agenda_item", lambda con, by: remove_agenda_item(con, MID, 1, by=by)),
    ("add_rebase", lambda con, by: add_rebase(con, "shropshire", POR, "2021/22 Q2", "New standard", by=by)),
    ("load", lambda con, by: load(con, read_files([GOOD]), by=by)),
    ("undo", lambda con, by: undo(con, _first(con, "SELECT max(id) FROM loads"), by)),
    ("minutes.apply", lambda con, by: apply(con, json.loads(SEED_JSON.read_text(encoding="utf-8")), changed_by=by)),
]
SETUP = {"undo": _undo_setup}
NOT_FOR_EDITOR_CHECK = {"minutes.apply"}  # the seeded meeting is already stored; refused for a viewer only


@pytest.mark.parametrize(("name", "write"), WRITES, ids=[w[0] for w in WRITES])
def test_a_viewer_is_refused_by_every_write_and_nothing_changes(name, write, roles, db) -> None:
    con = connect(db)
    try:
        SETUP.get(name, lambda con: None)(con)
        before = table_counts(con)
        audit_before = con.execute("SELECT * FROM audit_log ORDER BY id").fetchall()
        for viewer in (VIEWER, "someone.unknown@opcc.example", Actor("x@opcc.example", ("Readers",))):
            with pytest.raises(AccessDenied, match=r"may only view \(role viewer\).*Nothing was changed"):
                write(con, viewer)
        with pytest.raises(PermissionError):  # AccessDenied is a PermissionError
            write(con, VIEWER)
        assert table_counts(con) == before
        assert con.execute("SELECT * FROM audit_log ORDER BY id").fetchall() == audit_before
        if name not in NOT_FOR_EDITOR_CHECK:  # the same call is a valid change for an editor
            write(con, EDITOR)
            assert table_counts(con) != before or con.execute("SELECT count(*) FROM audit_log").fetchone()[0] > len(
                audit_before
            )
    finally:
        con.close()


def test_remove_rebase_refuses_a_viewer(roles, db) -> None:
    con = connect(db)
    try:
        add_rebase(con, "shropshire", POR, "2021/22 Q2", "New standard", by=EDITOR)
        with pytest.raises(AccessDenied):
            remove_rebase(con, "shropshire", POR, "2021/22 Q2", by=VIEWER)
        with pytest.raises(AccessDenied):  # no name at all: the unnamed local user, unknown here, so a viewer
            remove_rebase(con, "shropshire", POR, "2021/22 Q2")
        assert con.execute("SELECT count(*) FROM spc_rebases").fetchone()[0] == 1
        remove_rebase(con, "shropshire", POR, "2021/22 Q2", by=EDITOR)
        assert con.execute("SELECT count(*) FROM spc_rebases").fetchone()[0] == 0
        assert con.execute(
            "SELECT operation, changed_by FROM audit_log WHERE entity = 'rebase' ORDER BY id"
        ).fetchall() == [("create", EDITOR), ("delete", EDITOR)]
    finally:
        con.close()


def test_restore_refuses_a_viewer(roles, db, tmp_path) -> None:
    backup = backup_file(db, tmp_path / "b")
    with pytest.raises(AccessDenied):
        restore(db, Path(backup.path), VIEWER)
    assert not list(db.parent.glob("*.before-restore-*"))
    restore(db, Path(backup.path), ADMIN)
    assert len(list(db.parent.glob("*.before-restore-*"))) == 1


def test_an_editors_change_is_audited_under_the_editors_identity(roles, db) -> None:
    con = connect(db)
    try:
        action_id = add_action(con, meeting_id=MID, text="Report back", owner="ACC", by=EDITOR)
        set_status(con, action_id, "closed", by=Actor("policy.officer@opcc.example", ("OPCC Policy Officers",)))
        rows = con.execute(
            "SELECT operation, changed_by FROM audit_log WHERE entity = 'action' AND entity_id = $id ORDER BY id",
            {"id": str(action_id)},
        ).fetchall()
    finally:
        con.close()
    assert rows[0] == ("create", EDITOR)
    assert rows[-1] == ("status", "policy.officer@opcc.example")


@pytest.mark.parametrize(
    ("by", "role"),
    [
        (VIEWER, "viewer"),
        (EDITOR, "editor"),
        (EDITOR.upper(), "editor"),  # emails compare without case
        (ADMIN, "admin"),
        ("someone.unknown@opcc.example", "viewer"),  # the configured default
        ("", "viewer"),
        (None, "viewer"),
        (Actor("new.starter@opcc.example", ("opcc policy officers",)), "editor"),  # from a group claim
        (Actor(VIEWER, ("OPCC Policy Officers",)), "editor"),  # the highest of person and groups
        (Actor(ADMIN, ("OPCC Policy Officers",)), "admin"),
    ],
)
def test_roles_from_the_file(by, role, roles) -> None:
    assert access.role_of(by) == role
    assert access.mode() == access.ROLES_MODE


def test_the_default_role_is_configurable(roles) -> None:
    roles.write_text('default_role = "editor"\n[users]\n"v@x" = "viewer"\n', encoding="utf-8")
    assert access.role_of("someone.unknown@opcc.example") == "editor"
    assert access.role_of("V@X") == "viewer"


@pytest.mark.parametrize(
    "text",
    [
        "default_role = 'superuser'\n",
        "[users]\n'a@x' = 'owner'\n",
        "users = 'not a table'\n",
        "this is = not toml [\n",
    ],
)
def test_a_broken_roles_file_refuses_every_write(text, roles, db) -> None:
    roles.write_text(text, encoding="utf-8")
    con = connect(db)
    try:
        with pytest.raises(AccessDenied, match="roles file"):
            add_action(con, meeting_id=MID, text="Report back", owner="ACC", by=EDITOR)
    finally:
        con.close()


def test_a_roles_file_named_but_missing_refuses(roles, db) -> None:
    roles.unlink()
    with pytest.raises(AccessDenied, match="does not exist"):
        access.role_of(EDITOR)


def test_local_single_user_mode_without_roles_or_sign_in(no_roles_no_auth, db) -> None:
    assert access.mode() == access.LOCAL_MODE
    assert access.role_of("anyone") == "editor"
    assert "Local single-user mode" in access.describe_mode()
    con = connect(db)
    try:
        add_action(con, meeting_id=MID, text="Report back", owner="ACC", by="Charity Pearce")
        with pytest.raises(ValueError, match="say who"):
            add_action(con, meeting_id=MID, text="Report back", owner="ACC", by="  ")
    finally:
        con.close()


def test_sign_in_configured_without_a_roles_file_is_read_only(no_roles_no_auth, tmp_path, monkeypatch) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\n', encoding="utf-8")
    monkeypatch.setattr(access, "SECRETS_FILES", (secrets,))
    assert access.mode() == access.SIGNED_IN_NO_ROLES
    assert access.role_of(EDITOR) == "viewer"
    assert "everyone may only view" in access.describe_mode()


def test_the_example_roles_file_is_valid(monkeypatch) -> None:
    monkeypatch.setenv(access.ROLES_ENV, str(ROOT / "roles.example.toml"))
    assert access.mode() == access.ROLES_MODE
    assert access.role_of("nobody@example.org") == "viewer"
    assert {access.role_of(Actor("x@example.org", (group,))) for group in ("OPCC Policy Officers", "OPCC Admins")} == {
        "editor",
        "admin",
    }


# --- identity from the provider's claims --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claims", "identity", "groups"),
    [
        ({"email": "a@x.example", "sub": "123"}, "a@x.example", ()),
        ({"preferred_username": "b@x.example", "sub": "123", "groups": ["g1", "g2"]}, "b@x.example", ("g1", "g2")),
        ({"upn": "c@x.example", "roles": "Dashboard.Editor"}, "c@x.example", ("Dashboard.Editor",)),
        ({"sub": "only-a-subject", "groups": ["g1"], "roles": ["g1", "r"]}, "only-a-subject", ("g1", "r")),
        ({"email": "  ", "sub": "s"}, "s", ()),
    ],
)
def test_the_identity_and_groups_come_from_the_claims(claims, identity, groups) -> None:
    assert access.actor_from_claims(claims) == Actor(identity, groups)


def test_a_group_claim_gives_its_role(roles) -> None:
    officer = access.actor_from_claims({"email": "new@opcc.example", "groups": ["opcc policy officers"]})
    assert access.role_of(officer) == "editor"
    assert access.role_of(access.actor_from_claims({"email": "new@opcc.example"})) == "viewer"


def test_streamlit_s_secrets_files_setting_is_honoured(tmp_path, monkeypatch) -> None:
    secrets = tmp_path / "elsewhere.toml"
    secrets.write_text('[auth]\nclient_id = "x"\n', encoding="utf-8")
    monkeypatch.setattr(access, "SECRETS_FILES", ())
    assert not access.auth_configured()
    monkeypatch.setenv(access.SECRETS_ENV, f"{tmp_path / 'missing.toml'} {secrets}")
    assert access.auth_configured()
    assert access.role_of("anyone") == "viewer"  # sign-in without a roles file: read-only, never local mode


def test_once_the_app_declares_sign_in_there_is_no_local_mode(no_roles_no_auth, monkeypatch) -> None:
    assert access.mode() == access.LOCAL_MODE
    access.declare_sign_in()
    assert access.mode() == access.SIGNED_IN_NO_ROLES
    assert access.role_of("local user") == "viewer"


# --- who holds which role: changed by an admin only -------------------------------------------------------


def test_an_admin_gives_and_removes_roles_and_each_change_is_audited(roles, db) -> None:
    con = connect(db)
    try:
        said = access.set_role(con, "group", "OPCC Admins", "admin", by=ADMIN)
        assert said == f"opcc admins now has the role admin (was not listed) in {roles}"
        access.set_role(con, "user", EDITOR, None, by=ADMIN)
        access.set_role(con, "default", "", "editor", by=Actor("someone@opcc.example", ("OPCC Admins",)))
        assert access.role_of(Actor("x@opcc.example", ("opcc admins",))) == "admin"
        assert access.role_of(EDITOR) == "editor"  # now from the default
        rows = con.execute(
            "SELECT entity_id, operation, old_value, new_value, changed_by FROM audit_log WHERE entity = 'role' ORDER BY id"
        ).fetchall()
    finally:
        con.close()
    assert rows == [
        ("group:opcc admins", "grant", None, "admin", ADMIN),
        (f"user:{EDITOR.lower()}", "revoke", "editor", None, ADMIN),
        ("default:default_role", "grant", "viewer", "editor", "someone@opcc.example"),
    ]
    text = roles.read_text(encoding="utf-8")
    assert "Written by the dashboard's Access page" in text
    assert (roles.stat().st_mode & 0o777) == 0o600
    assert list(roles.parent.glob(".roles-*")) == []  # no temporary file left behind


@pytest.mark.parametrize("by", [VIEWER, EDITOR, "stranger@opcc.example"])
def test_only_an_admin_changes_roles(by, roles, db) -> None:
    before = roles.read_bytes()
    con = connect(db)
    try:
        with pytest.raises(AccessDenied, match="needs the admin role"):
            access.set_role(con, "user", by, "admin", by=by)
        assert _first(con, "SELECT count(*) FROM audit_log WHERE entity = 'role'") == 0
    finally:
        con.close()
    assert roles.read_bytes() == before


@pytest.mark.parametrize(
    ("kind", "name", "role", "message"),
    [
        ("user", "", "editor", "1 to 200 characters"),
        ("user", "bad\nname@x", "editor", "no control characters"),
        ("user", "x@y", "superuser", "a role is one of viewer, editor, admin"),
        ("team", "x", "editor", "a user, a group or the default"),
        ("user", "nobody@opcc.example", None, "there is no user"),
        ("default", "", None, "cannot be removed"),
    ],
)
def test_a_bad_role_change_is_refused_and_the_file_is_unchanged(kind, name, role, message, roles, db) -> None:
    before = roles.read_bytes()
    con = connect(db)
    try:
        with pytest.raises(ValueError, match=message):
            access.set_role(con, kind, name, role, by=ADMIN)
    finally:
        con.close()
    assert roles.read_bytes() == before


def test_a_bad_role_change_is_bad_input_an_error_on_the_page_and_exit_2(roles, db) -> None:
    con = connect(db)
    try:
        with pytest.raises(InvalidInput, match="there is no user") as caught:
            access.set_role(con, "user", "nobody@opcc.example", None, by=ADMIN)
    finally:
        con.close()
    assert (caught.value.exit_code, caught.value.page_kind) == (2, "error")


def test_names_with_quotes_and_accents_survive_the_rewrite(roles, db) -> None:
    con = connect(db)
    try:
        access.set_role(con, "group", 'Équipe "Politique" \\ OPCC', "editor", by=ADMIN)
    finally:
        con.close()
    assert access.role_of(Actor("z@opcc.example", ('équipe "politique" \\ opcc',))) == "editor"


def test_a_failed_audit_write_puts_the_old_roles_file_back(roles, db) -> None:
    before = roles.read_bytes()
    con = connect(db, read_only=True)  # every write fails: the audit row cannot be written
    try:
        with pytest.raises(Exception, match="read-only"):
            access.set_role(con, "user", "new@opcc.example", "editor", by=ADMIN)
    finally:
        con.close()
    assert roles.read_bytes() == before
    assert list(roles.parent.glob(".roles-*")) == []


def test_refusals_and_role_changes_go_to_the_security_log(roles, db, caplog) -> None:
    """What the organisation's log collection receives: each refused change and each role change, by whom."""
    caplog.set_level("INFO", logger="assurance.security")
    con = connect(db)
    try:
        with pytest.raises(AccessDenied):
            add_action(con, meeting_id=MID, text="Not allowed", owner="T/CC", by=VIEWER)
        access.set_role(con, "user", "new.person@opcc.example", "editor", by=ADMIN)
    finally:
        con.close()
    logged = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "assurance.security"]
    assert logged == [
        ("WARNING", f"refused: '{VIEWER}' (role viewer) attempted a change that needs the editor role"),
        ("INFO", f"role change by '{ADMIN}': user 'new.person@opcc.example' None -> editor"),
    ]
