"""The forum follows the course: publishing a module page gives the module its space at once,
and saving a cohort gives the cohort its private space, in the same transaction."""

from courses.catalogue.models import ModulePage
from courses.cohorts.models import Cohort
from courses.cohorts.signals import cohort_saved
from forum.threads import services


def module_space_on_publish(sender, instance, **kwargs) -> None:
    """Wagtail's page_published for a ModulePage: its forum space exists afterwards."""
    services.module_space_ensure(module=instance)


def cohort_space_on_save(sender, cohort, **kwargs) -> None:
    """courses' cohort_saved: the cohort's private space exists afterwards."""
    services.cohort_space_ensure(cohort=cohort)


def connect() -> None:
    from wagtail.signals import page_published

    page_published.connect(module_space_on_publish, sender=ModulePage, dispatch_uid="forum-module-space")
    cohort_saved.connect(cohort_space_on_save, sender=Cohort, dispatch_uid="forum-cohort-space")
