"""Zip archives, checked before anything is unpacked: sizes, member count, zip bombs, zip slip, encryption.

``check_archive`` refuses, from the zip's directory alone, an archive too big or shaped like an attack (the
police.uk archive here, and the zip an .xlsx workbook is made of in ``quarterly_table``); ``unzip`` unpacks the
CSV members of a checked police.uk archive under a temporary folder, never at a path taken from the archive.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from assurance.sources import files
from assurance.sources.files import size_text
from assurance.sources.report import ValidationReport

MAX_ZIP_BYTES = 1024**3  # a police.uk archive, all its members unpacked: 8x three years of West Mercia
MAX_ZIP_MEMBERS = 2000
# A CSV deflates ~4-5:1 and an XLSX part ~8:1; 1000:1 is a zip bomb. Members under 1 MB unpacked are not
# checked: they cannot do harm, and a near-empty part may compress very well.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM = 1024**2
ARCHIVE_EXPECTED = "a .zip file such as the police.uk archive, whole as downloaded"


def _unsafe_member_name(inner: str) -> bool:
    """An absolute path, a drive letter or a '..' step: unpacked as named, it would land outside the folder."""
    parts = inner.replace("\\", "/").split("/")
    return inner.startswith(("/", "\\")) or (len(inner) > 1 and inner[1] == ":") or ".." in parts


def check_archive(
    archive: zipfile.ZipFile,
    name: str,
    report: ValidationReport,
    *,
    max_total: int,
    max_member: int,
    max_members: int,
    what: str,
) -> bool:
    """Refuse, from the zip's directory alone (nothing is unpacked), an archive too big or shaped like an attack.

    Checked: the number of members, each member's and the total unpacked size, the compression ratio of
    each member (a zip bomb unpacks 1000:1), member names pointing outside the folder (zip slip), and
    encrypted members. ``what`` names the kind of file for the messages ("a police.uk archive").
    """
    members = [m for m in archive.infolist() if not m.is_dir()]
    before = len(report.problems)
    if len(members) > max_members:
        report.add(name, None, None, f"the archive holds {len(members):,} files", f"{what} of at most {max_members:,}")
        return False
    total = 0
    for member in members:
        inner = member.filename
        total += member.file_size
        if _unsafe_member_name(inner):
            report.add(
                name,
                None,
                None,
                f"the member {inner[:200]!r} is named with a path outside the archive (a 'zip slip')",
                f"{what} whose members have plain relative names",
                rule="zip slip",
            )
        if member.flag_bits & 0x1:
            report.add(name, None, None, f"the member {inner[:200]!r} is encrypted", f"{what} without a password")
        if member.file_size > max_member:
            report.add(
                name,
                None,
                None,
                f"the member {inner[:200]!r} unpacks to {size_text(member.file_size)}",
                f"{what} whose files unpack to at most {size_text(max_member)} each",
                rule="member size",
            )
        elif (
            member.file_size >= RATIO_CHECKED_FROM
            and (ratio := member.file_size / max(member.compress_size, 1)) > MAX_COMPRESSION_RATIO
        ):
            report.add(
                name,
                None,
                None,
                f"the member {inner[:200]!r} would unpack {ratio:,.0f} times larger than it is stored "
                "(a 'zip bomb'); it was not unpacked",
                f"{what} compressed at most {MAX_COMPRESSION_RATIO}:1",
                rule="ratio",
            )
    if total > max_total:
        report.add(
            name,
            None,
            None,
            f"the archive unpacks to {size_text(total)}",
            f"{what} of at most {size_text(max_total)} unpacked",
        )
    return len(report.problems) == before


def _copy_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path, limit: int) -> bool:
    """Unpack one member to target, stopping (False) past ``limit`` bytes whatever its header says."""
    written = 0
    with archive.open(member) as src, open(target, "wb") as dst:
        while block := src.read(1 << 20):
            written += len(block)
            if written > limit:
                return False
            dst.write(block)
    return True


def unzip(path: Path, name: str, into: Path, report: ValidationReport) -> list[tuple[str, Path]]:
    """The CSV members of a zip, unpacked under ``into``; other members are skipped with a warning.

    Anything that goes wrong reading the archive or a member is a problem naming it: zipfile raises many
    kinds for damaged bytes (BadZipFile, zlib.error, EOFError, a UnicodeDecodeError for a damaged member
    name, lzma and bz2 errors, ...), so every exception is caught here, once, rather than type by type.
    """
    what = "a police.uk archive"
    try:
        archive = zipfile.ZipFile(path)
    except Exception as exc:  # damaged input: see the docstring
        with open(path, "rb") as handle:
            started_as_zip = handle.read(4) == b"PK\x03\x04"
        if started_as_zip:
            message = f"the zip archive is incomplete or damaged: its directory cannot be read ({exc})"
        else:
            message = f"not a readable zip archive ({exc})"
        report.add(name, None, None, message, ARCHIVE_EXPECTED)
        return []
    out = []
    with archive:
        limits = {"max_total": MAX_ZIP_BYTES, "max_member": files.MAX_FILE_BYTES, "max_members": MAX_ZIP_MEMBERS}
        if not check_archive(archive, name, report, what=what, **limits):
            return []
        before = len(report.problems)
        for index, member in enumerate(m for m in archive.infolist() if not m.is_dir()):
            inner = member.filename
            where = f"{name}/{inner}"
            if inner.lower().endswith(".zip"):
                report.add(
                    where,
                    None,
                    None,
                    "an archive inside the archive; it was not unpacked",
                    "the police.uk CSV files themselves: unpack the inner archive and import it on its own",
                )
                continue
            if not inner.lower().endswith((".csv", ".xlsx")):
                report.warnings.append(f"{where}: skipped (not a CSV file)")
                continue
            if member.file_size == 0:
                report.add(where, None, None, "the file is empty (0 bytes)", "the rows of a police.uk CSV file")
                continue
            target = into / f"{index:05d}{Path(inner).suffix.lower()}"  # never a path taken from the archive
            try:
                complete = _copy_member(archive, member, target, files.MAX_FILE_BYTES)
            except Exception as exc:  # damaged input: see the docstring
                report.add(where, None, None, f"could not be unpacked ({exc})", "an undamaged police.uk archive")
                return []
            if not complete:
                report.add(
                    where,
                    None,
                    None,
                    f"unpacks to more than {size_text(files.MAX_FILE_BYTES)}; it was not unpacked further",
                    f"{what} whose files unpack to at most {size_text(files.MAX_FILE_BYTES)} each",
                )
                return []
            out.append((where, target))
    if not out and len(report.problems) == before:
        report.add(name, None, None, "the archive holds no CSV files", "police.uk monthly CSV files")
    return out
