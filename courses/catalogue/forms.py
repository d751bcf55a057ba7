"""The module page's admin form."""

from wagtail.admin.forms import WagtailAdminPageForm


class ModulePageForm(WagtailAdminPageForm):
    """Lets the hour-bounds rule in ModulePage.clean see the programme of a page not yet saved."""

    def _post_clean(self):
        if self.parent_page is not None:
            self.instance._parent_for_validation = self.parent_page
        super()._post_clean()
