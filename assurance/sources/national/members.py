"""Which street files a batch holds (zip members, files in a folder, files given), and their bytes.

A member is known by its name as police.uk writes it (``2024-01/2024-01-kent-street.csv``): its month and its
force. Other police.uk files (outcomes, stop and search) are skipped with a warning; any other file, a zip inside
the zip, or a force police.uk does not have is a problem. A zip member is inflated by Intel's ISA-L and checked
against the archive's CRC, so a damaged member is named, never read as if whole.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from isal import isal_zlib

from assurance.sources.archives import MAX_ZIP_BYTES, MAX_ZIP_MEMBERS, check_archive
from assurance.sources.files import MAX_FILE_BYTES, size_text
from assurance.sources.national.geography import geography
from assurance.sources.report import ValidationReport

STREET_FILE = re.compile(r"(?:^|/)(?P<month>\d{4}-(?:0[1-9]|1[0-2]))-(?P<force>[a-z0-9]+(?:-[a-z0-9]+)*)-street\.csv$")
OTHER_POLICE_UK = re.compile(r"-(?:outcomes|stop-and-search)\.csv$")
EXPECTED = "a police.uk street-level file (2024-01/2024-01-<force>-street.csv), whole as downloaded"


@dataclass(frozen=True)
class Member:
    """One street file to read: a zip member or a file on disk."""

    name: str  # as the person knows it: archive.zip/2024-01/2024-01-kent-street.csv
    month: str
    force: str
    archive: str | None  # the zip's path, or None for a file on disk
    info: zipfile.ZipInfo | None
    path: str | None
    size: int


def inputs(paths: list[str], names: list[str], report: ValidationReport) -> Iterator[Member]:
    """The street files in the given zips, folders and CSVs; others are skipped with a warning or refused."""
    for raw, shown in zip(paths, names, strict=True):
        path = Path(raw)
        if not path.exists():
            report.add(shown, None, None, "no such file", "an existing file or folder")
        elif path.is_dir():
            found = sorted(path.rglob("*-street.csv"))
            if not found:
                report.add(shown, None, None, "the folder holds no police.uk street files", EXPECTED)
            for file in found:
                yield from _member_on_disk(file, f"{shown}/{file.relative_to(path).as_posix()}", report)
        elif path.suffix.lower() == ".zip":
            yield from _members_of_zip(path, shown, report)
        else:
            yield from _member_on_disk(path, shown, report)


def _named(name: str, shown: str, report: ValidationReport) -> tuple[str, str] | None:
    """(month, force) of a street file by its name; None (after a warning or a problem naming ``shown``) else."""
    match = STREET_FILE.search(name)
    if match is None:
        if OTHER_POLICE_UK.search(name):
            report.warnings.append(f"{shown}: skipped (the national comparison reads street-level files only)")
        else:
            report.add(shown, None, None, "not a police.uk street-level file by its name", EXPECTED, rule="name")
        return None
    force = match.group("force")
    if force not in geography().forces:
        report.add(shown, None, None, f"police.uk has no force {force!r}", "a force police.uk publishes", rule="force")
        return None
    return match.group("month"), force


def _member_on_disk(path: Path, shown: str, report: ValidationReport) -> Iterator[Member]:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        report.add(
            shown, None, None, f"the file is {size_text(size)}", f"a file of at most {size_text(MAX_FILE_BYTES)}"
        )
        return
    if named := _named(path.name, shown, report):
        yield Member(shown, named[0], named[1], None, None, str(path), size)


def _members_of_zip(path: Path, shown: str, report: ValidationReport) -> Iterator[Member]:
    try:
        archive = zipfile.ZipFile(path)
    except Exception as exc:  # any damage to the archive's directory: refused with its words
        report.add(shown, None, None, f"not a readable zip archive ({exc})", "a .zip file as police.uk publishes it")
        return
    with archive:
        limits = {"max_total": MAX_ZIP_BYTES, "max_member": MAX_FILE_BYTES, "max_members": MAX_ZIP_MEMBERS}
        if not check_archive(archive, shown, report, what="a police.uk archive", **limits):
            return
        members = [m for m in archive.infolist() if not m.is_dir()]
        for info in members:
            inner = f"{shown}/{info.filename}"
            if info.filename.lower().endswith(".zip"):
                report.add(
                    inner, None, None, "a zip inside the zip", "the police.uk archive's CSV files, unpacked once"
                )
            elif named := _named(info.filename, inner, report):
                yield Member(inner, named[0], named[1], str(path), info, None, info.file_size)
        if not members:
            report.add(shown, None, None, "the archive is empty", EXPECTED)


def _raw_member(member: Member) -> tuple[bytes, str]:
    """A zip member's bytes, inflated and checked against its CRC (ISA-L for deflate, zipfile otherwise), and the
    SHA-256 of the member as stored in the archive (its provenance; hashing 4-5 times fewer bytes)."""
    info, archive_path = member.info, member.archive
    if info is None or archive_path is None:
        raise ValueError(f"{member.name} is not a zip member")
    with open(archive_path, "rb") as handle:
        if info.compress_type != zipfile.ZIP_DEFLATED:
            with zipfile.ZipFile(handle) as archive:
                data = archive.read(info)
            return data, hashlib.sha256(data).hexdigest()
        handle.seek(info.header_offset)
        header = handle.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise ValueError("its local header is damaged")
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        handle.seek(info.header_offset + 30 + name_length + extra_length)
        compressed = handle.read(info.compress_size)
    if len(compressed) != info.compress_size:
        raise ValueError("the archive is cut short inside this file")
    try:
        data = isal_zlib.decompress(compressed, -15)
    except isal_zlib.error as exc:
        raise ValueError(f"its compressed bytes are damaged ({exc})") from None
    if len(data) != info.file_size or isal_zlib.crc32(data) != info.CRC:
        raise ValueError("its bytes do not match the archive's checksum (damaged)")
    return data, hashlib.sha256(compressed).hexdigest()


def read_bytes(member: Member) -> tuple[bytes, str]:
    """The CSV's bytes and the SHA-256 recorded as its provenance."""
    if member.archive is None:
        with open(member.path, "rb") as handle:  # type: ignore[arg-type]
            data = handle.read(MAX_FILE_BYTES + 1)
        return data, hashlib.sha256(data).hexdigest()
    return _raw_member(member)


def street_forces(paths: list[str | os.PathLike[str]]) -> set[str]:
    """The forces named by the police.uk street files among these paths (zip members, folders, files), by name alone:
    nothing is unpacked or read."""
    found: set[str] = set()
    for raw in paths:
        path = Path(raw)
        names: list[str] = []
        if path.is_dir():
            names = [p.name for p in path.rglob("*-street.csv")]
        elif path.suffix.lower() == ".zip" and path.is_file():
            try:
                with zipfile.ZipFile(path) as archive:
                    names = archive.namelist()
            except Exception:  # a damaged archive: the reader names what is wrong with it
                names = []
        else:
            names = [path.name]
        found |= {m.group("force") for name in names if (m := STREET_FILE.search(name))}
    return found


def is_national(paths: list[str | os.PathLike[str]]) -> bool:
    """Street files of a force other than West Mercia, or of several forces: the national comparison's input.
    West Mercia's own files alone keep loading its LPA figures (``assurance.sources.read_files``)."""
    forces = street_forces(paths)
    return bool(forces) and forces != {"west-mercia"}
