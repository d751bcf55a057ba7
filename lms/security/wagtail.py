"""The Wagtail admin under the Content-Security-Policy.

Wagtail's templates that hold an inline script (date and time widgets, inline and multiple chooser
panels) are overridden in `templates/wagtailadmin/` to carry the nonce. Its chooser widgets (page,
image, document, snippet) write theirs from Python (`BaseChooser.render`), which no template can
reach: `give_chooser_scripts_the_nonce` wraps that method so that the one script it appends carries
the nonce too. Scripts that jQuery later inserts from such HTML keep the nonce (jQuery copies it)."""

from django.utils.safestring import SafeString, mark_safe
from wagtail.admin.widgets.chooser import BaseChooser

from .middleware import current_csp_nonce

SCRIPT_OPEN = "<script>"


def give_chooser_scripts_the_nonce() -> None:
    """Make `BaseChooser.render` put the response's nonce on the script it ends with. Idempotent.

    Only that final script is touched: the widget's HTML before it is rendered by a template that
    escapes what it shows, so any other `<script>` text in it is not markup."""
    original = BaseChooser.render
    if getattr(original, "gives_nonce", False):
        return

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        html = original(self, name, value, attrs=attrs, renderer=renderer)
        head, found, script = html.rpartition(SCRIPT_OPEN)
        if not found or not script.endswith("</script>") or "<script" in script:
            return html
        return mark_safe(f'{head}<script nonce="{current_csp_nonce()}">{script}')  # noqa: S308 (Wagtail's own HTML)

    render.gives_nonce = True
    BaseChooser.render = render
