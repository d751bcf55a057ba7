from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "forum"

    def ready(self):
        # Celery's autodiscovery looks for forum.tasks only: the notifications room's tasks are
        # registered here, under their historical names (forum.tasks.*).
        from forum.notifications import tasks  # noqa: F401
        from forum.threads import signals
        from lms.navigation import NavItem, nav_register
        from lms.permissions import is_signed_in

        signals.connect()
        nav_register(
            NavItem(
                60,
                "Forum",
                "forum:space_list",
                visible=is_signed_in,
                current_parts=("/forum/",),
                current_excluded=("/forum/faq/",),
            ),
            NavItem(61, "FAQ", "forum:faq", visible=is_signed_in, current_parts=("/forum/faq/",)),
        )
