"""The forum follows the course: publishing a module page gives the module its space at once."""

from courses.models import ModulePage
from forum.threads import services


def module_space_on_publish(sender, instance, **kwargs) -> None:
    """Wagtail's page_published for a ModulePage: its forum space exists afterwards."""
    services.module_space_ensure(module=instance)


def connect() -> None:
    from wagtail.signals import page_published

    page_published.connect(module_space_on_publish, sender=ModulePage, dispatch_uid="forum-module-space")
