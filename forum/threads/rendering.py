"""Forum posts are written in Markdown and stored with their sanitised HTML."""

import markdown
import nh3
from markdown.extensions import Extension

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


class EscapeRawHtml(Extension):
    """HTML typed in a post is shown as text, as the form's help says (« Le HTML n'est pas
    interprété »): Python-Markdown's raw HTML block preprocessor and inline pattern are removed,
    so `<` and `>` come out escaped. Deregistering fails loudly should a Markdown release rename
    them."""

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def post_html(source: str) -> str:
    """Markdown to HTML with any raw HTML escaped as text, then through nh3 as a second line of
    defence: no script, no event handler, no `javascript:` URL can survive; every link gets
    rel="nofollow noopener"."""
    html = markdown.markdown(
        source,
        extensions=["fenced_code", "tables", "sane_lists", "nl2br", EscapeRawHtml()],
        output_format="html",
    )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
    )
