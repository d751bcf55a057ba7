from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self):
        # Celery's autodiscovery looks for assessments.tasks only: the rooms' tasks are registered here.
        from assessments.deliverables import tasks as deliverables_tasks  # noqa: F401
        from assessments.memoire import tasks as memoire_tasks  # noqa: F401
        from assessments.soutenance import tasks as soutenance_tasks  # noqa: F401

        _register_navigation()


def _register_navigation() -> None:
    """The menu entries the assessments app offers, by role."""
    from assessments.deliverables import permissions as deliverable_permissions
    from assessments.memoire import permissions as memoire_permissions
    from assessments.soutenance import permissions as soutenance_permissions
    from lms import permissions
    from lms.navigation import NavItem, nav_register

    nav_register(
        NavItem(
            22,
            "Mémoires",
            "memoire:board",
            visible=memoire_permissions.can_see_board,
            current_parts=("/gestion/memoires/", "/memoires/"),
        ),
        NavItem(
            25,
            "À corriger",
            "deliverables:queue",
            visible=deliverable_permissions.can_review_deliverables,
            current_parts=("/gestion/a-corriger/",),
        ),
        NavItem(
            23,
            "Soutenances",
            "soutenance:juries",
            visible=soutenance_permissions.can_manage_soutenances,
            current_parts=("/gestion/soutenances/",),
        ),
        NavItem(
            36,
            "Mes soutenances",
            "soutenance:hearings",
            visible=permissions.is_trainer,
            current_parts=("/formation/soutenances/",),
        ),
        NavItem(
            35,
            "Mes tutorés",
            "memoire:tutees",
            visible=permissions.is_trainer,
            current_parts=("/formation/tutores/", "/memoires/"),
        ),
        NavItem(
            53,
            "Productions écrites",
            "deliverables:list",
            visible=permissions.is_learner,
            current_parts=("/parcours/productions/",),
        ),
        NavItem(
            54,
            "Mon mémoire",
            "memoire:mine",
            visible=permissions.is_learner,
            current_parts=("/parcours/memoire/",),
        ),
    )
