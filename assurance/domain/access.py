"""Who may do what: the roles viewer < editor < admin, mapped from an identity by a roles file.

* **viewer** reads every page, including the meeting display; changes nothing.
* **editor** (OPCC policy officers) changes actions, recommendations, pledges, claims, agendas, rebase
  points, imports, undoes loads and restores backups.
* **admin** can do what an editor can and decides who holds which role: on the Access page (``set_role``,
  audited) or by editing the roles file.

The roles file is TOML, at ``$ASSURANCE_ROLES``, else ``.streamlit/roles.toml`` in the project folder
(``roles.example.toml`` shows the format)::

    default_role = "viewer"            # anyone signed in but not listed below

    [users]                            # identity (the email the identity provider gives) -> role
    "charity.pearce@westmercia.pcc.police.uk" = "editor"

    [groups]                           # a group claim from the identity provider -> role
    "OPCC Policy Officers" = "editor"

Identities and group names are compared without regard to case. A person gets the highest role of
their own entry and their groups, else ``default_role``. The command line acts as
``<login> (command line)``: list that identity to let it write.

Without a roles file:

* no ``[auth]`` section in ``.streamlit/secrets.toml`` either: **local single-user mode**: whoever
  runs the app on their own machine is an editor (the app says so and listens on 127.0.0.1 only);
* sign-in configured but no roles file: everyone is a viewer (fail closed) until an admin writes one.

Every library write passes the acting user through ``who`` here, which asks ``require``, so a viewer
is refused whatever a page shows. A roles file that cannot be read refuses every write
(``AccessDenied``) rather than guessing.

Sign-ins (from the app), refused changes and role changes are logged on the ``assurance.security`` logger for
the organisation's log collection; the library only emits (a NullHandler), the app prints them to stderr.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import time
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assurance.core.errors import InvalidInput, Refused
from assurance.core.paths import ROOT

ROLES = ("viewer", "editor", "admin")
security_log = logging.getLogger("assurance.security")
security_log.addHandler(logging.NullHandler())  # a library emits; whoever runs it decides where it goes
ROLES_ENV = "ASSURANCE_ROLES"
DEFAULT_ROLES_FILE = ROOT / ".streamlit" / "roles.toml"
SECRETS_FILES = (ROOT / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml")
LOCAL_USER = "local user"
LOCAL_MODE = "local"
ROLES_MODE = "roles"
SIGNED_IN_NO_ROLES = "signed-in without roles file"


class AccessDenied(Refused, PermissionError):
    """A change refused because of the acting user's role (a ValueError too, so pages show the sentence)."""


@dataclass(frozen=True)
class Actor:
    """A signed-in person: the identity recorded in the audit trail and the groups their role may come from."""

    identity: str
    groups: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.identity


@dataclass(frozen=True)
class Roles:
    default_role: str
    users: dict[str, str]
    groups: dict[str, str]
    source: Path


def roles_path() -> Path:
    env = os.environ.get(ROLES_ENV, "").strip()
    return Path(env).expanduser() if env else DEFAULT_ROLES_FILE


def _role(value: object, where: str, path: Path) -> str:
    role = str(value).strip().lower()
    if role not in ROLES:
        raise AccessDenied(
            f"the roles file {path}: {where} has the role {value!r}; a role is one of {', '.join(ROLES)}"
        )
    return role


@lru_cache(maxsize=8)
def _read_roles(path: Path, _stamp: tuple[int, int]) -> Roles:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AccessDenied(
            f"the roles file {path} cannot be read ({exc}); no change is allowed until it is fixed"
        ) from None
    users, groups = data.get("users", {}), data.get("groups", {})
    if not isinstance(users, dict) or not isinstance(groups, dict):
        raise AccessDenied(f"the roles file {path}: [users] and [groups] must be tables of name = role")
    return Roles(
        default_role=_role(data.get("default_role", "viewer"), "default_role", path),
        users={str(k).strip().lower(): _role(v, f"[users] {k!r}", path) for k, v in users.items()},
        groups={str(k).strip().lower(): _role(v, f"[groups] {k!r}", path) for k, v in groups.items()},
        source=path,
    )


def load_roles() -> Roles | None:
    """The roles file, re-read when it changes; None when there is none. Raises AccessDenied if unreadable."""
    path = roles_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        if os.environ.get(ROLES_ENV, "").strip():
            raise AccessDenied(f"{ROLES_ENV} names {path}, which does not exist; no change is allowed") from None
        return None
    return _read_roles(path, (stat.st_mtime_ns, stat.st_size))


SECRETS_ENV = "STREAMLIT_SECRETS_FILES"  # Streamlit's own setting (secrets.files), honoured here too
_sign_in_declared = False


def secrets_files() -> tuple[Path, ...]:
    """Where Streamlit looks for secrets: ``$STREAMLIT_SECRETS_FILES`` (space-separated) when set, else the
    project's and the user's ``.streamlit/secrets.toml``."""
    env = os.environ.get(SECRETS_ENV, "").split()
    return tuple(Path(p).expanduser() for p in env) if env else SECRETS_FILES


def declare_sign_in() -> None:
    """The dashboard found sign-in configured (it asks Streamlit too): from now on this process never
    falls back to local single-user mode, even if the secrets live where this module does not look."""
    global _sign_in_declared
    _sign_in_declared = True


def auth_configured(paths: tuple[Path, ...] | None = None) -> bool:
    """Whether an ``[auth]`` section is configured for Streamlit's sign-in (read without importing Streamlit)."""
    if paths is None and _sign_in_declared:
        return True
    for path in secrets_files() if paths is None else paths:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        if isinstance(data.get("auth"), dict) and data["auth"]:
            return True
    return False


def mode() -> str:
    """LOCAL_MODE, ROLES_MODE or SIGNED_IN_NO_ROLES (see the module docstring)."""
    if load_roles() is not None:
        return ROLES_MODE
    return SIGNED_IN_NO_ROLES if auth_configured() else LOCAL_MODE


MAX_SIGN_IN_ENV = "ASSURANCE_MAX_SIGN_IN_HOURS"
DEFAULT_MAX_SIGN_IN_HOURS = 12.0


def max_sign_in_age_hours() -> float | None:
    """How old a sign-in may be before the app asks for a new one: ``$ASSURANCE_MAX_SIGN_IN_HOURS``, else 12;
    0 turns the check off. A value that is not a number keeps the default rather than turning it off."""
    text = os.environ.get(MAX_SIGN_IN_ENV, "").strip()
    try:
        hours = float(text) if text else DEFAULT_MAX_SIGN_IN_HOURS
    except ValueError:
        return DEFAULT_MAX_SIGN_IN_HOURS
    if hours != hours or hours < 0:  # NaN or negative: the default
        return DEFAULT_MAX_SIGN_IN_HOURS
    return None if hours == 0 else hours


def sign_in_age_hours(claims: Mapping, now: float | None = None) -> float | None:
    """Hours since the identity provider issued the ID token (its ``iat`` claim); None without one."""
    issued = claims.get("iat")
    if isinstance(issued, bool) or not isinstance(issued, int | float):
        return None
    return ((time.time() if now is None else now) - float(issued)) / 3600


def role_of(by: str | Actor | None) -> str:
    """The role of an identity (a name, an email or an Actor with groups)."""
    roles = load_roles()
    if roles is None:
        return "viewer" if auth_configured() else "editor"
    identity = str(by or "").strip().lower()
    groups = by.groups if isinstance(by, Actor) else ()
    found = [roles.users[identity]] if identity in roles.users else []
    found += [roles.groups[g.strip().lower()] for g in groups if g.strip().lower() in roles.groups]
    if not found:
        return roles.default_role
    return max(found, key=ROLES.index)


def allowed(by: str | Actor | None, need: str = "editor") -> bool:
    return ROLES.index(role_of(by)) >= ROLES.index(need)


def require(by: str | Actor | None, need: str = "editor") -> str:
    """The role of by when it is at least need; AccessDenied with a sentence saying why not otherwise."""
    role = role_of(by)
    if ROLES.index(role) < ROLES.index(need):
        name = str(by or "").strip() or "someone not signed in"
        security_log.warning("refused: %r (role %s) attempted a change that needs the %s role", name, role, need)
        raise AccessDenied(
            f"{name} may only {'view' if role == 'viewer' else 'edit'} (role {role}); this change needs the {need} "
            f"role. Nothing was changed. An admin grants roles in {roles_path()}."
        )
    return role


def who(by: str | Actor | None, need: str = "editor") -> str:
    """The acting person's name for the audit trail, after checking their role.

    ``by`` is a name, an email or an ``Actor`` (identity and groups). Raises InvalidInput when it is empty and
    ``AccessDenied`` when its role is below ``need`` (a viewer), so every write starts with ``by = who(by)``.
    """
    name = str(by if by is not None else "").strip()
    if not name:
        raise InvalidInput("say who is making the change: the audit trail records a name for every change")
    require(by, need)
    return name[:120]


def describe_mode() -> str:
    """One sentence for the app to show: which mode it runs in."""
    current = mode()
    if current == LOCAL_MODE:
        return (
            "Local single-user mode: no sign-in is configured, so whoever uses this computer is an editor. "
            "The app listens on this computer only (127.0.0.1)."
        )
    if current == SIGNED_IN_NO_ROLES:
        return f"Sign-in is configured but there is no roles file ({roles_path()}): everyone may only view."
    return f"Roles from {roles_path()}."


def actor_from_claims(claims: Mapping[str, object]) -> Actor:
    """The Actor for a signed-in person, from the identity provider's claims (what ``st.user`` holds).

    The identity is the email, else ``preferred_username`` (Entra ID's sign-in name), else ``upn``, else
    the subject. Groups come from the ``groups`` claim (Entra ID: group object ids, or names when the app
    registration emits them) and the ``roles`` claim (Entra ID app roles), so either may map to a role.
    """
    identity = ""
    for key in ("email", "preferred_username", "upn", "sub"):
        value = claims.get(key)
        if isinstance(value, str) and value.strip():
            identity = value.strip()
            break
    groups: list[str] = []
    for key in ("groups", "roles"):
        value = claims.get(key)
        values = [value] if isinstance(value, str) else value if isinstance(value, list | tuple) else []
        groups += [str(v).strip() for v in values if str(v).strip()]
    return Actor(identity=identity, groups=tuple(dict.fromkeys(groups)))


# Who holds which role: read and changed by an admin. The file is rewritten whole (comments included),
# checked by reading it back before it replaces the old one, and every change is in the audit trail.

ROLE_KINDS = {"user": "users", "group": "groups"}
_NAME_OK = re.compile(r"^[^\x00-\x1f\x7f]{1,200}$")
ROLES_HEADER = """# Who may do what in the A&A dashboard (see roles.example.toml and the README).
# Written by the dashboard's Access page; every change is in the audit trail (entity "role").
# Roles: viewer < editor < admin. A person gets the highest of their own entry and their groups.
"""


def role_rows() -> list[dict]:
    """Every entry of the roles file as rows (kind, name, role), default first; [] without a roles file."""
    roles = load_roles()
    if roles is None:
        return []
    rows = [{"kind": "default", "name": "anyone else signed in", "role": roles.default_role}]
    rows += [{"kind": "user", "name": k, "role": v} for k, v in sorted(roles.users.items())]
    rows += [{"kind": "group", "name": k, "role": v} for k, v in sorted(roles.groups.items())]
    return rows


def _toml_text(default_role: str, users: dict[str, str], groups: dict[str, str]) -> str:
    def table(name: str, entries: dict[str, str]) -> str:
        lines = [f"[{name}]"] + [
            f"{json.dumps(k, ensure_ascii=False)} = {json.dumps(v)}" for k, v in sorted(entries.items())
        ]
        return "\n".join(lines) + "\n"

    return f'{ROLES_HEADER}\ndefault_role = "{default_role}"\n\n{table("users", users)}\n{table("groups", groups)}'


def set_role(con, kind: str, name: str, role: str | None, by: str | Actor) -> str:
    """Give the user or group name a role (role None removes the entry; kind "default" sets default_role).

    Needs the admin role. The roles file is written to a temporary file beside it, read back, and only
    then moved into place; the audit row is written in the same database transaction, and the old file
    is put back if that transaction fails. Returns a sentence saying what changed. A request that cannot be
    carried out (an unknown kind or role, a bad name, an entry that is not there) is InvalidInput.
    """
    from assurance.store.audit import audit
    from assurance.store.transaction import transaction

    actor = who(by, need="admin")
    if kind not in (*ROLE_KINDS, "default"):
        raise InvalidInput(f"a role is given to a user, a group or the default, not {kind!r}")
    if role is not None and role not in ROLES:
        raise InvalidInput(f"a role is one of {', '.join(ROLES)}, not {role!r}")
    key = str(name or "").strip().lower()
    if kind != "default" and not _NAME_OK.match(key):
        raise InvalidInput(f"the {kind} name must be 1 to 200 characters with no control characters")
    path = roles_path()
    current = load_roles() or Roles(default_role="viewer", users={}, groups={}, source=path)
    users, groups, default_role = dict(current.users), dict(current.groups), current.default_role
    if kind == "default":
        if role is None:
            raise InvalidInput("the default role cannot be removed; set it to viewer instead")
        old, default_role, key = default_role, role, "default_role"
    else:
        entries = users if kind == "user" else groups
        old = entries.get(key)
        if role is None:
            if old is None:
                raise InvalidInput(f"there is no {kind} {name!r} in the roles file")
            del entries[key]
        else:
            entries[key] = role
    if old == role:
        return f"{key} already has the role {role}; nothing changed"
    text = _toml_text(default_role, users, groups)
    check = tomllib.loads(text)  # never write a file this module could not read back
    assert check.get("default_role") == default_role  # nosec B101 # a self-check of the writer, not input validation
    path.parent.mkdir(parents=True, exist_ok=True)
    previous = path.read_bytes() if path.exists() else None
    fd, tmp = tempfile.mkstemp(prefix=".roles-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        with transaction(con) as tx:
            audit(tx, "role", f"{kind}:{key}", "revoke" if role is None else "grant", actor, "role", old, role)
            os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        elif path.exists() and path.read_text(encoding="utf-8") == text:
            # the audit row failed after the move: the old file (or no file) comes back
            if previous is None:
                path.unlink()
            else:
                path.write_bytes(previous)
        raise
    security_log.info("role change by %r: %s %r %s -> %s", str(actor), kind, key, old, role)
    if role is None:
        return f"Removed the {kind} {key} (was {old}) from {path}"
    return f"{key} now has the role {role} (was {old or 'not listed'}) in {path}"


def role_changes(con):
    """Who was given or lost which role, newest first (from the audit trail; the Access page shows it)."""
    from assurance.store import queries

    return queries.frame(con, "role_changes")
