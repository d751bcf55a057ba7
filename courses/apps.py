from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"

    def ready(self):
        # Celery's autodiscovery looks for courses.tasks only: the rooms' tasks are registered
        # here, under their historical names (courses.tasks.*, courses.session_tasks.*…).
        from courses.cohorts import tasks as cohort_tasks  # noqa: F401
        from courses.hours import tasks as hours_tasks  # noqa: F401
        from courses.sessions import tasks as session_tasks  # noqa: F401
        from courses.tracking import tasks as tracking_tasks  # noqa: F401

        _register_navigation()


def _register_navigation() -> None:
    """The menu entries and the « Mon espace » pages the courses app offers, by role."""
    from courses.cohorts import permissions as cohort_permissions
    from courses.learning import views as learning_views
    from courses.sessions import permissions as session_permissions
    from courses.tracking import views as tracking_views
    from lms import permissions
    from lms.navigation import NavItem, Space, nav_register, space_register

    def sees_sessions(user) -> bool:
        return (
            permissions.is_ars_staff(user)
            or permissions.is_pedagogical_team(user)
            or permissions.is_trainer(user)
        )

    manages = cohort_permissions.can_manage_cohorts
    learner = permissions.is_learner
    nav_register(
        NavItem(
            20,
            "Promotions",
            "staff:cohort_list",
            visible=manages,
            current_parts=("/gestion/promotions/", "/gestion/inscriptions/"),
        ),
        NavItem(
            21,
            "Déclarations",
            "declarations:queue",
            visible=manages,
            current_parts=("/gestion/declarations/",),
        ),
        NavItem(
            30,
            "Sessions",
            "sessions:session_list",
            visible=sees_sessions,
            current_parts=("/gestion/sessions/",),
        ),
        NavItem(
            40,
            "Organismes",
            "sessions:provider_list",
            visible=session_permissions.can_manage_providers,
            current_parts=("/gestion/organismes/",),
        ),
        NavItem(50, "Mes options", "courses:options", visible=learner, current_path="/parcours/options/"),
        NavItem(
            51,
            "Mes sessions",
            "sessions:learner_calendar",
            visible=learner,
            current_parts=("/parcours/sessions/",),
        ),
        NavItem(
            52,
            "Heures en organisation",
            "declarations:list",
            visible=learner,
            current_parts=("/parcours/declarations/",),
        ),
    )
    space_register("learner", Space(0, learner, learning_views.learner_dashboard))
    space_register("ars_staff", Space(1, permissions.is_ars_staff, tracking_views.ars_space))
    space_register("trainer", Space(2, permissions.is_trainer, tracking_views.trainer_space))
    space_register(
        "pedagogical_team", Space(3, permissions.is_pedagogical_team, tracking_views.pedagogical_space)
    )
