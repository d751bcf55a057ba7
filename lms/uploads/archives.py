"""Office documents (DOCX, XLSX, ODT) are ZIP archives: they are read with bounded reads only.

Before anything is decompressed, the central directory must announce at most MAX_ENTRIES entries,
at most MAX_TOTAL_BYTES once decompressed, no entry above MAX_ENTRY_BYTES, and no large entry
compressed more than MAX_RATIO times (a zip bomb's entries are compressed a thousand times; XML
rarely more than fifty). Then every entry is decompressed in chunks with the decompressed bytes
counted, so a header that lies about its size cannot escape the limits either, and the CRC is
checked. A file's memory cost is one chunk, whatever the archive says.

The structure must be the format's: only the entries a word processor or spreadsheet writes are
allowed (XML parts, relationships, pictures, thumbnails, printer settings); macros (`vbaProject.bin`,
`vbaData.xml`, ODF `Basic/` and `Scripts/`), ActiveX controls, embedded objects and anything else
(HTML, JavaScript, programs, SVG pictures, which may carry scripts) are refused, and so are
encrypted entries or documents, and workbooks linked to other files or data sources. The XML parts
that say what the document does when it opens (relationships, content types, Word fields, the ODF
manifest and content) are parsed as they are decompressed: see lms.uploads.office_parts.
"""

from __future__ import annotations

import io
import re
import zipfile

from .kinds import Kind
from .office_parts import ENCRYPTED, MACROS, part_inspector
from .policies import Refusal, rows_refusal

MAX_ENTRIES = 2_000
MAX_ENTRY_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024  # small entries may compress well (a blank settings part): not judged by ratio
CHUNK = 64 * 1024
BOMB = "ce document devient démesuré une fois décompressé (bombe de décompression) : il est refusé."
_ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

_PICTURES = r"(png|jpe?g|gif|bmp|tiff?|emf|wmf|wdp)"
_OOXML_COMMON = [
    r"\[Content_Types\]\.xml",
    r"_rels/\.rels",
    r"docProps/[\w.-]+\.xml",
    rf"docProps/thumbnail\.{_PICTURES}",
    r"customXml/(_rels/)?[\w.-]+\.(xml|rels)",
]
STRUCTURES: dict[Kind, re.Pattern] = {
    Kind.DOCX: re.compile(
        "|".join(
            _OOXML_COMMON
            + [
                r"word/([\w.-]+/)*[\w.-]+\.(xml|rels)",
                rf"word/media/[\w.-]+\.{_PICTURES}",
                r"word/fonts/[\w.-]+\.odttf",
                r"word/printerSettings/[\w.-]+\.bin",
            ]
        ),
        re.IGNORECASE,
    ),
    Kind.XLSX: re.compile(
        "|".join(
            _OOXML_COMMON
            + [
                r"xl/([\w.-]+/)*[\w.-]+\.(xml|rels)",
                rf"xl/media/[\w.-]+\.{_PICTURES}",
                r"xl/printerSettings/[\w.-]+\.bin",
            ]
        ),
        re.IGNORECASE,
    ),
    Kind.ODT: re.compile(
        "|".join(
            [
                r"mimetype",
                r"(META-INF/)?manifest\.(xml|rdf)",
                r"(content|styles|meta|settings)\.xml",
                r"layout-cache",
                rf"Thumbnails/thumbnail\.{_PICTURES}",
                rf"Pictures/[\w.-]+\.{_PICTURES}",
                r"Configurations2/([\w.-]+/)*([\w.-]+\.xml)?",
                r"Object \d+/((content|styles|meta|settings)\.xml)?",
                r"ObjectReplacements/Object \d+",
                r"(META-INF|Pictures|Thumbnails|ObjectReplacements)/",
            ]
        )
    ),
}
_MACROS = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml|vbaProjectSignature\.bin)$|^(Basic|Scripts)/", re.I)
_ACTIVE = re.compile(r"(^|/)(activeX|embeddings)/|\.bin$", re.I)
#: Workbook parts that link to other workbooks, databases or web queries, refreshed when it opens.
_EXTERNAL_DATA = re.compile(r"^xl/(externalLinks/|connections\.xml$|queryTables/)", re.I)
_ROW_TAG = re.compile(rb"<(\w+:)?row[\s>/]")


def _limits(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ENTRIES:
        raise Refusal(f"cette archive contient {len(infos)} éléments : {MAX_ENTRIES} au plus.")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise Refusal(ENCRYPTED)
        if info.compress_type not in _ZIP_METHODS:
            raise Refusal("ce document utilise une compression inhabituelle : enregistrez-le à nouveau.")
        total += info.file_size
        too_compressed = info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        )
        if info.file_size > MAX_ENTRY_BYTES or total > MAX_TOTAL_BYTES or too_compressed:
            raise Refusal(BOMB)


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, limit: int, on_chunk=None) -> bytes | int:
    """Decompress one entry in chunks, counting the bytes; refused past min(declared size, limit).
    Returns the content when `on_chunk` is None (small entries only), else the byte count."""
    count, parts = 0, []
    bound = min(info.file_size, limit)
    with archive.open(info) as entry:
        while chunk := entry.read(CHUNK):
            count += len(chunk)
            if count > bound:
                raise Refusal(BOMB)
            if on_chunk is None:
                parts.append(chunk)
            else:
                on_chunk(chunk)
    return b"".join(parts) if on_chunk is None else count


def _identify(archive: zipfile.ZipFile, names: set[str]) -> Kind | None:
    if "mimetype" in names:
        mimetype = _read(archive, archive.getinfo("mimetype"), limit=200).strip()
        return Kind.ODT if mimetype == _ODT_MIMETYPE else None
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return Kind.DOCX
        if "xl/workbook.xml" in names:
            return Kind.XLSX
    return None


def archive_kind(content: bytes) -> tuple[Kind | None, zipfile.ZipFile]:
    """The office kind of a ZIP file, after the directory's limits are checked; (None, archive)
    for a ZIP that is no accepted office document. Raises Refusal for a damaged or abusive archive."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise Refusal("ce document est endommagé ou illisible : il est refusé.") from exc
    _limits(infos)
    try:
        return _identify(archive, {info.filename for info in infos}), archive
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise Refusal("ce document est endommagé ou illisible : il est refusé.") from exc


def archive_check(archive: zipfile.ZipFile, *, kind: Kind, max_rows: int | None = None) -> None:
    """Refuse macros, foreign entries, external data links and encryption in an office document of
    `kind`, then read every entry with bounded, counted decompression (CRC checked), the parts that
    say what it does on opening parsed as they go (lms.uploads.office_parts); for a workbook, refuse
    a sheet with more than `max_rows` rows below its header row, counted while reading."""
    structure = STRUCTURES[kind]
    names = archive.namelist()
    if any(_MACROS.search(name) for name in names):
        raise Refusal(MACROS)
    if kind == Kind.XLSX and any(_EXTERNAL_DATA.search(name) for name in names):
        raise Refusal(
            "ce document contient des liaisons vers des données externes : il est refusé. "
            "Enregistrez-le de nouveau sans liaisons (copiez les valeurs dans un nouveau classeur) "
            "ou en PDF, puis réessayez."
        )
    for name in names:
        if not structure.fullmatch(name):
            if _ACTIVE.search(name):
                raise Refusal(
                    "ce document contient un objet incorporé ou un contrôle ActiveX : "
                    "enregistrez-le en PDF et réessayez."
                )
            raise Refusal(
                f"ce document contient un élément étranger au format {kind.value.upper()} "
                f"(« {name[:80]} ») : il est refusé. "
                "Enregistrez-le à nouveau depuis votre traitement de texte ou tableur, ou en PDF."
            )
    try:
        total = 0
        for info in archive.infolist():
            is_sheet = kind == Kind.XLSX and re.fullmatch(r"xl/worksheets/[\w.-]+\.xml", info.filename)
            rows = _RowCounter() if is_sheet else None
            inspect = part_inspector(kind, info.filename)
            consumers = [consumer for consumer in (rows, inspect) if consumer is not None]
            total += _read(
                archive,
                info,
                limit=MAX_TOTAL_BYTES - total,
                on_chunk=lambda chunk, consumers=consumers: [consume(chunk) for consume in consumers],
            )
            if inspect is not None:
                inspect.close()
            # The header line is not counted (as for a CSV file): `max_rows` lines may follow it.
            if rows is not None and max_rows is not None and rows.count - 1 > max_rows:
                raise rows_refusal(
                    what="ce classeur", rows=rows.count - 1, max_rows=max_rows, where=" d'une feuille"
                )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise Refusal("ce document est endommagé ou illisible : il est refusé.") from exc


class _RowCounter:
    """Counts `<row` tags across decompressed chunks (a tag cut between two chunks still counts)."""

    def __init__(self):
        self.count = 0
        self._tail = b""

    def __call__(self, chunk: bytes) -> None:
        data = self._tail + chunk
        self.count += len(_ROW_TAG.findall(data))
        # Keep the bytes after the last full match that could start a tag, so none is counted twice.
        cut = max(len(data) - 16, 0)
        last = data.rfind(b"<", cut)
        self._tail = data[last:] if last != -1 and not _ROW_TAG.match(data, last) else b""
