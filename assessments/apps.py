from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self):
        # Celery's autodiscovery looks for assessments.tasks only: the rooms' tasks are registered here.
        from assessments.deliverables import tasks as deliverables_tasks  # noqa: F401
        from assessments.marking import tasks as marking_tasks  # noqa: F401
        from assessments.memoire import tasks as memoire_tasks  # noqa: F401
        from assessments.similarity import tasks as similarity_tasks  # noqa: F401
        from assessments.soutenance import tasks as soutenance_tasks  # noqa: F401

        _connect_signals()
        _register_navigation()


def _connect_signals() -> None:
    """The rooms above the mémoire and the deliverables act on what these announce."""
    from assessments.deliverables.signals import submission_created
    from assessments.memoire.signals import final_submitted
    from assessments.similarity import tasks as similarity_tasks

    final_submitted.connect(similarity_tasks.final_submitted_received, dispatch_uid="similarity_check")
    submission_created.connect(similarity_tasks.submission_created_received, dispatch_uid="similarity_index")


def _register_navigation() -> None:
    """The menu entries the assessments app offers, by role."""
    from assessments.deliverables import permissions as deliverable_permissions
    from assessments.marking import permissions as marking_permissions
    from assessments.memoire import permissions as memoire_permissions
    from assessments.similarity import permissions as similarity_permissions
    from assessments.soutenance import permissions as soutenance_permissions
    from lms import permissions
    from lms.navigation import NavItem, nav_register

    nav_register(
        NavItem(
            22,
            "Mémoires",
            "board:memoires",
            visible=memoire_permissions.can_see_board,
            current_parts=("/gestion/memoires/", "/memoires/"),
            current_excluded=("/gestion/memoires/publication/", "/gestion/memoires/correction-anonyme/"),
        ),
        NavItem(
            23,
            "Publication des notes",
            "marking:publication",
            visible=marking_permissions.can_release,
            current_parts=("/gestion/memoires/publication/", "/gestion/memoires/correction-anonyme/"),
        ),
        NavItem(
            23,
            "Correcteur·rices",
            "deliverables:reviewers",
            visible=deliverable_permissions.can_assign_reviewers,
            current_parts=("/gestion/correcteurs/",),
        ),
        NavItem(
            23,
            "Similarité",
            "similarity:flags",
            visible=similarity_permissions.can_see_flags,
            current_parts=("/gestion/similarite/",),
        ),
        NavItem(
            25,
            "À corriger",
            "queue:grouped",
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
            36,
            "Mes corrections",
            "marking:mine",
            visible=permissions.is_trainer,
            current_parts=("/formation/corrections/",),
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
