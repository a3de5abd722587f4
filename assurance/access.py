"""Who may do what: the roles viewer < editor < admin, mapped from an identity by a roles file.

* **viewer** reads every page, including the meeting display; changes nothing.
* **editor** (OPCC policy officers) changes actions, recommendations, pledges, claims, agendas, rebase
  points, imports, undoes loads and restores backups.
* **admin** can do what an editor can and decides who holds which role (by editing the roles file).

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

Every library write passes the acting user through ``assurance.audit.who``, which asks
``require`` here, so a viewer is refused whatever a page shows. A roles file that cannot be read
refuses every write (``AccessDenied``) rather than guessing.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assurance.paths import ROOT

ROLES = ("viewer", "editor", "admin")
ROLES_ENV = "ASSURANCE_ROLES"
DEFAULT_ROLES_FILE = ROOT / ".streamlit" / "roles.toml"
SECRETS_FILES = (ROOT / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml")
LOCAL_USER = "local user"
LOCAL_MODE = "local"
ROLES_MODE = "roles"
SIGNED_IN_NO_ROLES = "signed-in without roles file"


class AccessDenied(PermissionError, ValueError):
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


def auth_configured(paths: tuple[Path, ...] | None = None) -> bool:
    """Whether an ``[auth]`` section is configured for Streamlit's sign-in (read without importing Streamlit)."""
    for path in SECRETS_FILES if paths is None else paths:
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
        raise AccessDenied(
            f"{name} may only {'view' if role == 'viewer' else 'edit'} (role {role}); this change needs the {need} "
            f"role. Nothing was changed. An admin grants roles in {roles_path()}."
        )
    return role


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
