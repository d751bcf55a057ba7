"""Posts rendered from Markdown never carry a script, an event handler or a javascript: URL."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from forum.rendering import post_html

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


def assert_safe(html: str) -> None:
    lowered = html.lower()
    assert "<script" not in lowered
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", lowered)
    assert not re.search(r"(href|src)\s*=\s*[\"']?\s*javascript:", lowered)
    assert "<iframe" not in lowered and "<svg" not in lowered and "<img" not in lowered


def test_known_attacks_are_neutralised():
    """Script tags, handlers, javascript: links and malformed HTML come out inert."""
    for source in DANGEROUS:
        assert_safe(post_html(source))


def test_markdown_still_renders_and_links_get_nofollow():
    """Ordinary Markdown renders; links are kept with rel="nofollow noopener"."""
    html = post_html("**Qualiopi** : voir [le référentiel](https://travail-emploi.gouv.fr)")
    assert "<strong>Qualiopi</strong>" in html
    assert 'href="https://travail-emploi.gouv.fr"' in html and 'rel="nofollow noopener"' in html


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=12).map("".join))
def test_no_rendered_post_ever_contains_script_handler_or_javascript_url(source):
    """Property: whatever the text, the rendered post is inert."""
    assert_safe(post_html(source))
