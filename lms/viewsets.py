from wagtail.users.views.users import UserViewSet

from .forms import PlatformUserCreationForm, PlatformUserEditForm


class PlatformUserViewSet(UserViewSet):
    """Wagtail's user screens, with the platform's role and the ARS staff's regions."""

    def get_form_class(self, for_update=False):
        return PlatformUserEditForm if for_update else PlatformUserCreationForm
