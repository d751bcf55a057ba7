"""The PDF probe: run by lms.uploads.pdf in a child process, never imported by the web process.

Reads a PDF on stdin and writes one JSON verdict on stdout: {"ok": true, "pages": n} or
{"ok": false, "reason": ...}. It sets its own resource limits first (address space, CPU time, no
file written, few descriptors), so a PDF crafted to exhaust pypdf kills this process only. It
imports the standard library and pypdf only, so it starts fast and runs with `python -I`.
"""

import json
import re
import resource
import sys

#: Names whose presence means the PDF can act when opened: run JavaScript, launch a program,
#: carry files, play rich media or hold an XFA form (which scripts itself); and actions that send
#: form data out (/SubmitForm), open another file, remote or embedded (/GoToR, /GoToE), import data
#: (/ImportData) or play media (/Sound, /Movie, also annotation subtypes).
ACTIVE_NAMES = {
    "/JS",
    "/JavaScript",
    "/Launch",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/RichMedia",
    "/XFA",
    "/SubmitForm",
    "/GoToE",
    "/GoToR",
    "/ImportData",
    "/Sound",
    "/Movie",
}
_RAW_ACTIVE = re.compile(
    rb"/(JS|JavaScript|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm|GoTo[ER]|ImportData|Sound|Movie)"
    rb"(?![A-Za-z0-9])"
)
_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.S)
_HTML = re.compile(
    rb"<\s*(!doctype|html|head|body|script|iframe|svg|object|embed|img|meta|style|form|link|a\s)", re.I
)
MAX_NODES = 500_000


def _limits(memory_bytes: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NOFILE, (16, 16))


def outside_streams(content: bytes) -> bytes:
    """The bytes of a PDF without its stream bodies: stream data is the only place where arbitrary
    bytes belong in a PDF (a photograph's JPEG data holds any sequence, « /JS » or « <html »
    included), so the raw checks read the rest only."""
    return _STREAM.sub(b"stream endstream", content)


def polyglot(outside: bytes) -> bool:
    """True when the bytes outside streams are also a web page, where a browser or a mail client
    sniffing the file would find a page: dictionaries, names and strings outside streams never
    hold an HTML tag in a document made by an office suite or a scanner. (A file that does not
    end with `%%EOF` is refused too, as damaged: see `verdict`.)"""
    return _HTML.search(outside) is not None


def _active(reader) -> bool:
    """Walk every object reachable from the trailer (the document a viewer sees, object streams
    included), looking for active names as keys or as action types."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    nodes = 0
    while stack:
        node = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise MemoryError("too many objects")  # read as « too complex », like running out of memory
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            for name, value in node.items():
                if name in ACTIVE_NAMES:
                    return True
                if name in ("/S", "/Subtype") and isinstance(value, NameObject) and value in ACTIVE_NAMES:
                    return True
                stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return False


def distinct_pages(reader) -> int:
    """The number of distinct page objects reachable through the page tree from the catalogue's
    /Pages: a page referenced twice (or twenty times) in /Kids counts once, the tree's own /Count
    is never trusted, and a tree that loops back on itself or has no /Pages is damaged (ValueError)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    root = reader.trailer["/Root"].get_object()
    top = root.get("/Pages")
    if top is None:
        raise ValueError("no page tree")
    pages: set = set()
    inner_seen: set = set()
    stack = [top]
    nodes = 0
    while stack:
        ref = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise MemoryError("too many objects")
        key = (ref.idnum, ref.generation) if isinstance(ref, IndirectObject) else ("direct", id(ref))
        node = ref.get_object() if isinstance(ref, IndirectObject) else ref
        if not isinstance(node, DictionaryObject):
            raise ValueError("page tree node is not a dictionary")
        kids = node.get("/Kids")
        if kids is None:
            pages.add(key)
            continue
        if key in inner_seen:
            continue  # an intermediate node reached twice: its pages are counted already
        inner_seen.add(key)
        kids = kids.get_object()
        if not isinstance(kids, ArrayObject):
            raise ValueError("/Kids is not an array")
        stack.extend(kids)
    return len(pages)


def verdict(content: bytes, max_pages: int, max_objects: int) -> dict:
    import io

    from pypdf import PdfReader

    if not content.startswith(b"%PDF-"):
        return {"ok": False, "reason": "corrupt"}
    outside = outside_streams(content)
    if polyglot(outside):
        return {"ok": False, "reason": "polyglot"}
    # Whatever follows the last %%EOF is no part of the PDF: data smuggled after it is refused.
    if not content.rstrip(b"\x00\t\n\f\r ").endswith(b"%%EOF"):
        return {"ok": False, "reason": "corrupt"}
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        # The parent counted the raw bytes; the reader's own table is exact (a lying /Size or a
        # rebuilt cross-reference table cannot hide objects from it), and is checked before any walk.
        known = len(reader.xref_objStm) + sum(len(numbers) for numbers in reader.xref.values())
        if known > max_objects:
            return {"ok": False, "reason": "complex"}
        if reader.is_encrypted:
            return {"ok": False, "reason": "encrypted"}
        # Distinct page objects of the tree: `len(reader.pages)` counts a page listed twice twice
        # (and, on an encrypted file, trusts the file's own /Count).
        pages = distinct_pages(reader)
        if pages == 0:
            return {"ok": False, "reason": "corrupt"}
        if pages > max_pages:
            return {"ok": False, "reason": "pages", "pages": pages}
        # Active names outside streams, reachable or not (a viewer may repair a document and find
        # objects the trailer does not lead to), then everything reachable, object streams included.
        if _RAW_ACTIVE.search(outside) or _active(reader):
            return {"ok": False, "reason": "active"}
    except MemoryError:
        return {"ok": False, "reason": "complex"}
    except Exception:  # noqa: BLE001 — pypdf raises many kinds of errors on a damaged file
        return {"ok": False, "reason": "corrupt"}
    return {"ok": True, "pages": pages}


def main() -> None:
    max_pages, memory_bytes, cpu_seconds, max_bytes, max_objects = (int(arg) for arg in sys.argv[1:6])
    _limits(memory_bytes, cpu_seconds)
    content = sys.stdin.buffer.read(max_bytes + 1)
    too_long = len(content) > max_bytes
    result = {"ok": False, "reason": "complex"} if too_long else verdict(content, max_pages, max_objects)
    sys.stdout.write(json.dumps(result))


if __name__ == "__main__":
    main()
