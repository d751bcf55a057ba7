"""The learning room's page hooks: who may open a lesson, and the learner's state on module
and lesson pages (progress, completion, the knowledge check in progress)."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from wagtail import hooks

from assessments.checks import services as checks_services
from courses.catalogue.models import LessonPage
from courses.learning import permissions, selectors


@hooks.register("before_serve_page")
def lesson_access(page, request, serve_args, serve_kwargs):
    """A lesson is for signed-in users who may view it: others sign in or get a 403."""
    if not isinstance(page, LessonPage):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_view_lesson(request.user, page):
        raise PermissionDenied("Cette leçon fait partie d'un programme que vous ne suivez pas.")
    return None


@hooks.register("courses_module_page_context")
def module_page_context(*, page, request) -> dict:
    return selectors.module_page_state(module=page, user=request.user)


@hooks.register("courses_lesson_page_context")
def lesson_page_context(*, page, request) -> dict:
    context = selectors.lesson_page_state(lesson=page, user=request.user)
    check = page.knowledge_check
    if check is not None and context["enrolment"] is not None:
        # The order of the attempt in progress: kept in the session until an attempt is sent.
        seed_key = checks_services.SEED_SESSION_KEY.format(lesson_id=page.pk)
        seed = request.session.get(seed_key) or request.session.setdefault(
            seed_key, checks_services.attempt_seed_new()
        )
        context["quiz_seed"] = seed
        context["quiz_layout"] = checks_services.knowledge_check_layout(check=check, seed=seed)
        context["quiz_retry_when"] = checks_services.knowledge_check_retry_when(
            recent_attempts=context["recent_attempts"],
            tz=checks_services.learner_timezone(enrolment=context["enrolment"]),
        )
        last_attempt = context["last_attempt"]
        if last_attempt is not None and not last_attempt.passed:
            context["quiz_review_topics"] = checks_services.review_topics(
                check=check, wrong_questions=last_attempt.wrong_questions
            )
    return context
