"""Reading a file given to the program as text, safely: its size, its encoding, binary data, its header.

The one place a CSV (a file as given or a member unpacked from a zip) is turned into text (``read_text``), and
where a file is looked at before it is parsed (``first_record``, ``looks_binary``) or counted (``sha256_of``).
Hostile or broken input is refused before it is parsed, with the limit named.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from pathlib import Path

from assurance.sources.report import ValidationReport

# A police.uk street-level month for West Mercia is ~2 MB and three years of street, outcomes and
# stop-and-search files ~130 MB unpacked (~30 MB zipped); a quarterly return is a few hundred rows.
MAX_FILE_BYTES = 200 * 1024**2  # one file as given (CSV, XLSX or zip), and one CSV unpacked from a zip

UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# C0 control characters a CSV text never holds (tab, line feed, carriage return and form feed aside): a
# header line with one of these is binary data, not text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def size_text(size: int) -> str:
    """Bytes in words: '200 MB', '1.5 GB', '12 kB'."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if size >= scale:
            return f"{size / scale:,.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _decode_head(head: bytes) -> str:
    """The start of a file as text (it may end part-way through a character): for detection only."""
    if head.startswith(UTF16_BOMS):
        return codecs.getincrementaldecoder("utf-16")(errors="replace").decode(head, final=False)
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        return head.decode("cp1252", errors="replace")


def _field_at(line: str, columns: list[str] | None) -> str | None:
    """The column a position falls in, given the text of its line up to that position (police.uk: commas)."""
    if not columns:
        return None
    try:
        fields = next(csv.reader([line]), [""])
    except csv.Error:
        return None
    index = max(len(fields), 1) - 1
    return columns[index] if index < len(columns) else None


def read_text(
    name: str,
    path: Path,
    report: ValidationReport,
    *,
    expected: str,
    utf8_only: bool,
    columns: list[str] | None = None,
) -> tuple[str, str] | None:
    """A CSV file's whole text and its encoding, or None after naming what makes it unreadable, and where.

    The one place a CSV (a file as given or a member unpacked from a zip) is turned into text. Refused: a
    UTF-16 file where only UTF-8 will do, bytes that are not text in the encoding (``utf8_only``: police.uk
    publishes UTF-8, so anything else is damage or a re-save; otherwise Windows-1252 is read, as Excel saves
    it), and a NUL character, which no CSV holds (a damaged file, or one that is not text). Each is named
    with its line (counted from the byte where it is) and, given the ``columns``, the column it falls in.
    """
    data = path.read_bytes()
    if not data:
        report.add(name, None, None, "the file is empty (0 bytes)", expected)
        return None
    if data.startswith(UTF16_BOMS):
        if utf8_only:
            report.add(name, 1, None, "the file is UTF-16 text", expected)
            return None
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            start = exc.start - exc.start % 2
            line = data[:start].decode("utf-16", errors="replace").count("\n") + 1
            report.add(name, line, None, "the UTF-16 text is damaged: it does not decode", expected)
            return None
    else:
        try:
            text, encoding = data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError as exc:
            if utf8_only:
                line_start = data.rfind(b"\n", 0, exc.start) + 1
                prefix = data[line_start : exc.start].decode("utf-8", errors="replace")
                report.add(
                    name,
                    data.count(b"\n", 0, exc.start) + 1,
                    _field_at(prefix, columns),
                    f"byte 0x{data[exc.start]:02X} is not UTF-8 text (the file is damaged, or was saved in "
                    "another encoding)",
                    expected,
                )
                return None
            text, encoding = data.decode("cp1252", errors="replace"), "cp1252"
    nul = text.find("\x00")
    if nul >= 0:
        line_start = text.rfind("\n", 0, nul) + 1
        report.add(
            name,
            text.count("\n", 0, nul) + 1,
            _field_at(text[line_start:nul], columns),
            "a NUL character (byte 0x00), which no CSV text holds: the file is damaged",
            expected,
        )
        return None
    return text, encoding


def sniff_delimiter(first_line: str) -> str:
    """Comma, or the semicolon or tab Excel uses in some locales: whichever the header line has most of."""
    return max((",", ";", "\t"), key=first_line.count)


def first_record(path: Path) -> list[str] | None:
    """The header record of a CSV file, or None when its first line is not text (binary data)."""
    with open(path, "rb") as handle:
        head = handle.read(65536)
    text = _decode_head(head)
    first_line = text.split("\n", 1)[0]
    if CONTROL_CHARACTERS.search(first_line.rstrip("\r")):
        return None
    try:
        return next(csv.reader(io.StringIO(text), delimiter=sniff_delimiter(first_line)), None)
    except csv.Error:
        return None


def looks_binary(path: Path) -> bool:
    """A file whose first line holds control characters or NULs: binary data (or UTF-16 without its BOM)."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    return bool(head) and bool(CONTROL_CHARACTERS.search(_decode_head(head).split("\n", 1)[0].rstrip("\r")))
