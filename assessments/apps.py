from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self):
        # Celery's autodiscovery looks for assessments.tasks only: the rooms' tasks are registered here.
        from assessments.deliverables import tasks as deliverables_tasks  # noqa: F401

        _register_navigation()


def _register_navigation() -> None:
    """The menu entries the assessments app offers, by role."""
    from assessments.deliverables import permissions as deliverable_permissions
    from lms import permissions
    from lms.navigation import NavItem, nav_register

    nav_register(
        NavItem(
            25,
            "À corriger",
            "deliverables:queue",
            visible=deliverable_permissions.can_review_deliverables,
            current_parts=("/gestion/a-corriger/",),
        ),
        NavItem(
            53,
            "Productions écrites",
            "deliverables:list",
            visible=permissions.is_learner,
            current_parts=("/parcours/productions/",),
        ),
    )
