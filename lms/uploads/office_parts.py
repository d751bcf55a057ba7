"""What the XML parts of an office document make it do when it opens, read as they are decompressed.

The parts that decide it are streamed through the standard library's expat parser, one chunk at a
time (memory: one chunk and the current element), with a DOCTYPE refused outright: no entity can
then be declared, internal (entity expansion) or external (a file or an address the parser would
fetch), and expat never loads anything by itself.

- OOXML (DOCX, XLSX) relationships (`*.rels`): a relationship of a type that runs, embeds or
  fetches something is refused whatever its target (OLE objects, the Follina pattern; attached
  templates; altChunk pages; frames; sub-documents; ActiveX controls; embedded packages; VBA;
  workbook links to other files or data sources; Office add-ins). Any other relationship with
  `TargetMode="External"` is refused (a linked picture on `\\\\server\\share` is fetched when the
  document opens and gives the server the reader's Windows credentials), except hyperlinks: a
  document may link to the web, and a link acts only when the reader clicks it, after Word's
  warning; their scheme must still be http, https or mailto, because protocol handlers (ms-msdt:,
  search-ms:, file: on a share) were the vehicle of several attacks that a click is enough for.
- OOXML content types (`[Content_Types].xml`): a part declared as a web page, a script, a mail
  archive (MHT), a macro-enabled document, ActiveX or OLE is refused.
- Word fields: DDE, DDEAUTO, INCLUDETEXT and LINK fields run a command or fetch outside content
  when they are updated; their code is read across the runs it is split into.
- ODF (ODT): manifest media types as above (and an encrypted part); in `content.xml` and
  `styles.xml`, a script (`office:script`), a macro bound to an event (`script:event-listener`),
  a DDE link, or an `xlink:href` outside the package on anything but a hyperlink.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.parsers import expat

from .kinds import Kind
from .policies import Refusal

MACROS = "ce document contient des macros : enregistrez-le sans macros (ou en PDF) et réessayez."
ENCRYPTED = "ce document est protégé par un mot de passe : déposez une version non protégée."


def _acting(what: str, without: str) -> Refusal:
    return Refusal(
        f"ce document contient {what} : il est refusé. Enregistrez-le de nouveau sans {without} "
        "(ou en PDF), puis réessayez."
    )


_OLE = ("un objet incorporé ou lié (OLE)", "cet objet")
_ACTIVEX = ("un contrôle ActiveX", "ce contrôle")
_LINKS = ("des liaisons vers des données externes", "liaisons (copiez les valeurs dans un nouveau classeur)")
#: Relationship types (last segment of the Type URI, lower-cased) refused whatever their target.
RISKY_RELATIONSHIPS: dict[str, tuple[str, str] | None] = {
    "oleobject": _OLE,
    "package": _OLE,
    "attachedtemplate": ("un modèle attaché, chargé à son ouverture", "modèle attaché"),
    "afchunk": ("une page web ou un document incorporé (altChunk)", "ce contenu incorporé"),
    "frame": ("un cadre qui affiche une autre page", "ce cadre"),
    "subdocument": ("un sous-document lié", "sous-document"),
    "control": _ACTIVEX,
    "activexcontrolbinary": _ACTIVEX,
    "vbaproject": None,  # None: the macros message
    "vbaprojectsignature": None,
    "wordvbadata": None,
    "keymapcustomizations": None,
    "attachedtoolbars": None,
    "externallink": _LINKS,
    "externallinkpath": _LINKS,
    "xlexternallinkpath": _LINKS,
    "connections": _LINKS,
    "querytable": _LINKS,
    "webextension": ("un complément Office (add-in)", "ce complément"),
    "webextensiontaskpanes": ("un complément Office (add-in)", "ce complément"),
}
_SAFE_LINK = re.compile(r"(https?://|mailto:)", re.I)
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.I)
_RISKY_TYPE = re.compile(
    r"html|mhtml|message/rfc822|multipart/|javascript|ecmascript|vbscript|jscript|text/x-|"
    r"application/x-(sh|python|perl|msdownload|msdos-program|ms-shortcut)|image/svg|"
    r"macroEnabled|vbaProject|vbaData|activeX|ole-?object|sun\.star\.(oleobject|basic|script)",
    re.I,
)
_MACRO_TYPE = re.compile(r"macroEnabled|vbaProject|vbaData|sun\.star\.(basic|script)", re.I)
_FIELD = re.compile(r"\s*(DDEAUTO|DDE|INCLUDETEXT|LINK)\b", re.I)
_EXTERNAL_CONTENT = Refusal(
    "ce document contient un contenu chargé depuis l'extérieur à son ouverture : il est refusé. "
    "Enregistrez-le de nouveau sans contenu lié (insérez-le au lieu de le lier) ou en PDF, puis réessayez."
)
XLINK_HREF = "http://www.w3.org/1999/xlink href"


def _link_refusal(target: str) -> Refusal:
    scheme = _SCHEME.match(target)
    return _acting(
        f"un lien d'un type inhabituel (« {scheme.group(0) if scheme else target[:40]} »)",
        "ce lien (seuls les liens web et les adresses e-mail sont acceptés)",
    )


def _content_type(kind: str) -> None:
    if _MACRO_TYPE.search(kind):
        raise Refusal(MACROS)
    if _RISKY_TYPE.search(kind):
        raise Refusal(
            "ce document contient une partie déclarée comme page web, script ou objet actif "
            f"(« {kind[:80]} ») : il est refusé. Enregistrez-le de nouveau depuis votre traitement "
            "de texte (ou en PDF), puis réessayez."
        )


def _local(name: str) -> str:
    """« uri local » (expat's namespaced name) → « local »."""
    return name.rpartition(" ")[2]


class _Relationships:
    def start(self, name: str, attrs: dict[str, str]) -> None:
        if _local(name) != "Relationship":
            return
        kind = attrs.get("Type", "").rstrip("/").rpartition("/")[2].lower()
        target = attrs.get("Target", "").strip()
        if kind in RISKY_RELATIONSHIPS:
            words = RISKY_RELATIONSHIPS[kind]
            raise Refusal(MACROS) if words is None else _acting(*words)
        if attrs.get("TargetMode", "").lower() == "external":
            if kind != "hyperlink":
                raise _EXTERNAL_CONTENT
            if not _SAFE_LINK.match(target):
                raise _link_refusal(target)


class _ContentTypes:
    def start(self, name: str, attrs: dict[str, str]) -> None:
        if _local(name) in ("Default", "Override"):
            _content_type(attrs.get("ContentType", ""))


class _WordFields:
    """Field codes (`w:instrText` runs between a field's begin and separate/end marks, or the
    `w:instr` of a simple field), checked for fields that run or fetch something."""

    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main "

    def __init__(self):
        self._code: list[str] = []
        self._in_code = False

    def _check(self) -> None:
        code = "".join(self._code)
        self._code = []
        if field := _FIELD.match(code):
            raise _acting(
                "un champ qui lance une commande ou va chercher un contenu extérieur "
                f"({field.group(1).upper()})",
                "ce champ",
            )

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == self.W + "instrText":
            self._in_code = True
        elif name == self.W + "fldChar":
            self._check()
        elif name == self.W + "fldSimple":
            self._code = [attrs.get(self.W + "instr", "")]
            self._check()

    def end(self, name: str) -> None:
        if name == self.W + "instrText":
            self._in_code = False

    def text(self, data: str) -> None:
        if self._in_code:
            self._code.append(data)

    def close(self) -> None:
        self._check()


class _OdfManifest:
    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "encryption-data":
            raise Refusal(ENCRYPTED)
        if local == "file-entry":
            _content_type(next((v for k, v in attrs.items() if _local(k) == "media-type"), ""))


class _OdfContent:
    _MACRO_ELEMENTS = {"script", "event-listener"}
    _DDE_ELEMENTS = {"dde-source", "dde-connection-decl", "dde-link"}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local in self._MACRO_ELEMENTS:
            raise Refusal(MACROS)
        if local in self._DDE_ELEMENTS:
            raise _acting("une liaison DDE vers un autre programme", "cette liaison")
        href = attrs.get(XLINK_HREF, "").strip()
        if not href or href.startswith("#"):
            return
        if local == "a":  # text:a, draw:a: a hyperlink, acting on a click only
            if _SCHEME.match(href) and not _SAFE_LINK.match(href):
                raise _link_refusal(href)
        elif _SCHEME.match(href) or href.startswith(("/", "\\", "../")):
            raise _EXTERNAL_CONTENT


def part_inspector(kind: Kind, name: str) -> Callable[[bytes], None] | None:
    """A chunk consumer that checks the part `name` of a document of `kind` as it is decompressed
    (call `.close()` on it after the last chunk), or None for a part that needs no reading."""
    if kind in (Kind.DOCX, Kind.XLSX):
        if name.endswith(".rels"):
            return _Scan(_Relationships())
        if name == "[Content_Types].xml":
            return _Scan(_ContentTypes())
        if kind == Kind.DOCX and name.startswith("word/") and name.endswith(".xml"):
            return _Scan(_WordFields())
    elif kind == Kind.ODT:
        if name == "META-INF/manifest.xml":
            return _Scan(_OdfManifest())
        if name in ("content.xml", "styles.xml") or re.fullmatch(r"Object \d+/(content|styles)\.xml", name):
            return _Scan(_OdfContent())
    return None


class _Scan:
    """Feeds chunks to expat with namespaces resolved (« uri local » names), the handler's start,
    end and text methods called as elements go by. A DOCTYPE is refused before its first
    declaration is read; any XML error reads as a damaged document."""

    def __init__(self, handler):
        self._handler = handler
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.buffer_text = True  # one text call per run of text, not one per chunk or line
        parser.StartDoctypeDeclHandler = self._doctype
        parser.StartElementHandler = handler.start
        if hasattr(handler, "end"):
            parser.EndElementHandler = handler.end
        if hasattr(handler, "text"):
            parser.CharacterDataHandler = handler.text
        self._parser = parser

    @staticmethod
    def _doctype(*_) -> None:
        raise Refusal(
            "ce document contient une déclaration XML inhabituelle (DOCTYPE) : il est refusé. "
            "Enregistrez-le de nouveau depuis votre traitement de texte (ou en PDF), puis réessayez."
        )

    def __call__(self, chunk: bytes) -> None:
        self._feed(chunk, final=False)

    def close(self) -> None:
        self._feed(b"", final=True)
        if hasattr(self._handler, "close"):
            self._handler.close()

    def _feed(self, chunk: bytes, *, final: bool) -> None:
        try:
            self._parser.Parse(chunk, final)
        except expat.ExpatError as exc:
            raise Refusal("ce document est endommagé ou illisible : il est refusé.") from exc
