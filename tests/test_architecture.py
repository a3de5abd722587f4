"""The shape of the code, checked: layers (import-linter), all SQL in queries/, small modules.

docs/ARCHITECTURE.md describes the layers; these tests keep the code to it, so a newcomer can trust the folder
names. Each failure says what to change and where.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys

import pytest

from tests.support import ROOT

LIBRARY = ["assurance", "ui", "app_pages"]
MAX_MODULE_LINES = 400
SQL_START = re.compile(
    r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|WITH|BEGIN|COMMIT|ROLLBACK|CHECKPOINT|ATTACH|DETACH|COPY|"
    r"DESCRIBE|PRAGMA|SET|INSTALL|LOAD|EXPORT|IMPORT|USE|VACUUM|SUMMARIZE|PREPARE|EXECUTE)\b",
    re.IGNORECASE,
)
EXECUTING = {"execute", "executemany", "sql", "query", "read_sql"}
# Statements written in Python on purpose, each with its reason (at most five; every other statement is in
# queries/*.sql and runs by name). Keyed by (module, the statement's first words).
SQL_ALLOWED: dict[tuple[str, str], str] = {}


def python_files() -> list:
    found = [ROOT / "app.py", ROOT / "dashboard.py"]
    for package in LIBRARY:
        found += sorted((ROOT / package).rglob("*.py"))
    return found


def literal_text(node: ast.AST, constants: dict[str, str]) -> str | None:
    """The text of a string literal, f-string, concatenation or module constant; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = literal_text(node.left, constants), literal_text(node.right, constants)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):  # a statement looked up in a dict
        return constants.get(node.value.id)
    return None


def sql_literals(path) -> list[tuple[int, str]]:
    """(line, first words) of each SQL statement written in Python and passed to an execute-like call."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if (text := literal_text(node.value, {})) is not None:
                constants[node.targets[0].id] = text
            elif isinstance(node.value, ast.Dict):  # a dict of statements: its first SQL value stands for them all
                texts = [literal_text(v, {}) for v in node.value.values]
                if sql := [t for t in texts if t and SQL_START.match(t)]:
                    constants[node.targets[0].id] = sql[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in EXECUTING:
            if node.args and (text := literal_text(node.args[0], constants)) and SQL_START.match(text):
                found.append((node.lineno, " ".join(text.split()[:3])))
    return found


def test_no_sql_is_written_in_python_outside_the_allowlist():
    """All SQL lives in queries/*.sql and runs by name (assurance/store/queries.py), parameters bound."""
    assert len(SQL_ALLOWED) <= 5
    offenders = []
    for path in python_files():
        module = str(path.relative_to(ROOT))
        for line, words in sql_literals(path):
            if (module, words) not in SQL_ALLOWED:
                offenders.append(f"{module}:{line}: {words} ...")
    assert offenders == [], "move these statements into queries/*.sql and run them by name:\n" + "\n".join(offenders)


def test_the_sql_check_finds_sql_in_python(tmp_path):
    """The check above can fail: a statement in a literal, an f-string, a concatenation and a constant."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        'DELETE = "DELETE FROM x"\n'
        'con.execute("SELECT 1")\n'
        'cur.execute(f"UPDATE {t} SET a = 1")\n'
        'cur.executemany("INSERT INTO t " + "VALUES (?)", rows)\n'
        "cur.execute(DELETE)\n"
        'LISTS = {"a": "SELECT a FROM t"}\n'
        "con.execute(LISTS[what])\n"
        'con.execute(queries.sql("areas"))\n'
        'print("SELECT is a word")\n'
    )
    assert sorted(line for line, _ in sql_literals(sample)) == [2, 3, 4, 5, 7]


def test_no_module_is_over_400_lines():
    long = [
        f"{path.relative_to(ROOT)}: {n} lines"
        for path in python_files()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert long == [], f"split these by job (at most {MAX_MODULE_LINES} lines each):\n" + "\n".join(long)


def test_pages_end_a_run_early_through_live_stop_never_st_stop():
    """After ``st.stop()`` Streamlit refuses every call, so a page stopped that way is never noted by the live
    watcher: it would not redraw when its data arrive. ``ui.live.stop()`` notes it first (the sign-in gate, before
    any page, is the one exception)."""
    stops = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in [ROOT / "dashboard.py", *sorted((ROOT / "app_pages").glob("*.py"))]
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bst\.stop\(", line)
    ]
    assert stops == []


@pytest.mark.timeout(120)
def test_the_layer_contracts_hold():
    """.importlinter: each layer imports only those below it, pages never the store, no import cycles."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "Contracts: 4 kept, 0 broken." in result.stdout


ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"
PATH_NAMED = re.compile(r"`((?:assurance|ui|app_pages|queries|docs|data|tests)/[\w/.-]*[\w/])`")
QUERIES_NAMED = re.compile(r"`queries/([\w-]+\.sql)`:\s+((?:`\w+`(?:,\s+)?)+)")
FUNCTION_NAMED = re.compile(r"`((?:assurance|ui)/[\w/]+\.py)` `(\w+)\(\)`")


def test_every_module_query_and_function_the_architecture_names_exists():
    """docs/ARCHITECTURE.md is kept true: each path it names exists, each query it names is in the file it says, each
    function it names is in the module it says."""
    from assurance.store import queries

    text = ARCHITECTURE.read_text(encoding="utf-8")
    paths = set(PATH_NAMED.findall(text))
    assert len(paths) > 30
    assert sorted(p for p in paths if not (ROOT / p).exists()) == []
    named = [(file, name) for file, names in QUERIES_NAMED.findall(text) for name in re.findall(r"`(\w+)`", names)]
    assert len(named) >= 6
    assert [(f, n) for f, n in named if n not in queries.names() or queries.query(n).file.name != f] == []
    functions = FUNCTION_NAMED.findall(text)
    assert len(functions) >= 4
    missing = []
    for module_path, function in functions:
        module = __import__(module_path.removesuffix(".py").replace("/", "."), fromlist=[function])
        if not hasattr(module, function):
            missing.append(f"{module_path} {function}()")
    assert missing == []
