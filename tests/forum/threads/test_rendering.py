"""Posts rendered from Markdown never carry a script, an event handler or a javascript: URL."""

import re
from html.parser import HTMLParser

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from forum.threads.rendering import EscapeRawHtml, post_html

DANGEROUS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '<div onclick="alert(1)">x',
    "<scr<script>ipt>alert(1)</script>",
    "![x](javascript:alert(1))",
    '<iframe src="https://exemple.fr"></iframe>',
    "[x](  javascript:alert(1))",
    "<a href='jav&#x61;script:alert(1)'>x</a>",
]
FRAGMENTS = DANGEROUS + [
    "**gras**",
    "_it_",
    "`code`",
    "[lien](https://ehesp.fr)",
    "\n\n",
    "> citation",
    "- item",
    "<",
    ">",
    '"',
    "'",
    "&",
    "javascript:",
    "on",
    "=",
]


class _Elements(HTMLParser):
    """The elements and attributes a browser would build from the HTML (text is left aside: HTML
    typed in a post is escaped, so it shows as text and is inert)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    handle_startendtag = handle_starttag


def assert_safe(html: str) -> None:
    lowered = html.lower()
    assert "<script" not in lowered and "<iframe" not in lowered
    assert "<svg" not in lowered and "<img" not in lowered
    parser = _Elements()
    parser.feed(html)
    parser.close()
    assert not {"script", "iframe", "svg", "img", "style"} & set(parser.tags)
    assert not [name for name, _ in parser.attrs if name.startswith("on")]
    for name, value in parser.attrs:
        if name in ("href", "src"):
            assert not re.sub(r"[\x00-\x20]", "", value or "").lower().startswith("javascript:")


def test_known_attacks_are_neutralised():
    """Script tags, handlers, javascript: links and malformed HTML come out inert."""
    for source in DANGEROUS:
        assert_safe(post_html(source))


def test_markdown_still_renders_and_links_get_nofollow():
    """Ordinary Markdown renders; links are kept with rel="nofollow noopener"."""
    html = post_html("**Qualiopi** : voir [le référentiel](https://travail-emploi.gouv.fr)")
    assert "<strong>Qualiopi</strong>" in html
    assert 'href="https://travail-emploi.gouv.fr"' in html and 'rel="nofollow noopener"' in html


def test_html_typed_in_a_post_is_shown_as_text():
    """« Le HTML n'est pas interprété »: tags typed in a post come out escaped, visible as typed,
    inline, as a block or in a quote, while Markdown around them still renders."""
    assert post_html("<strong>x</strong>") == "<p>&lt;strong&gt;x&lt;/strong&gt;</p>"
    assert "<div>" not in post_html("<div>\nbloc\n</div>") and "&lt;div&gt;" in post_html(
        "<div>\nbloc\n</div>"
    )
    html = post_html("> **Ana** a écrit :\n>\n> <em>oui</em>")
    assert "<strong>Ana</strong>" in html and "&lt;em&gt;oui&lt;/em&gt;" in html and "<em>" not in html


def test_raw_html_hooks_exist_in_the_installed_markdown():
    """The Markdown hooks the escaping removes exist under these names (an upgrade that renames
    them must fail here, not silently interpret HTML again)."""
    md = markdown.Markdown()
    assert "html_block" in md.preprocessors and "html" in md.inlinePatterns
    escaped = markdown.Markdown(extensions=[EscapeRawHtml()])
    assert "html_block" not in escaped.preprocessors and "html" not in escaped.inlinePatterns


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=12).map("".join))
def test_no_rendered_post_ever_contains_script_handler_or_javascript_url(source):
    """Property: whatever the text, the rendered post is inert."""
    assert_safe(post_html(source))
