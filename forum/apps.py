from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "forum"

    def ready(self):
        # Celery's autodiscovery looks for forum.tasks only: the notifications room's tasks are
        # registered here, under their historical names (forum.tasks.*).
        from forum.notifications import tasks  # noqa: F401
        from forum.threads import signals

        signals.connect()
