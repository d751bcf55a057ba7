"""The learner's pages: dashboard, options, lesson completion, knowledge check, heartbeat."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments.checks import services as checks_services
from courses.catalogue import hooks as catalogue_hooks
from courses.catalogue.models import LessonPage
from courses.cohorts import selectors as cohorts_selectors
from courses.cohorts.models import Enrolment
from courses.learning import selectors, services
from courses.learning.forms import OptionChoiceForm
from lms import permissions
from lms.templatetags.lms_tags import fr_plural, hours


def _learner_enrolment(request) -> Enrolment:
    return cohorts_selectors.learner_enrolment_or_denied(request.user)


def _lesson_and_enrolment(request, lesson_id):
    if not permissions.is_learner(request.user):
        raise PermissionDenied("Seul·es les apprenant·es valident des leçons.")
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    enrolment = cohorts_selectors.enrolment_for_page(user=request.user, page=lesson)
    if enrolment is None:
        raise PermissionDenied("Cette leçon fait partie d'un programme que vous ne suivez pas.")
    return lesson, enrolment


@login_required
def learner_dashboard(request):
    if not permissions.is_learner(request.user):
        raise PermissionDenied
    enrolment = cohorts_selectors.enrolment_for_user(user=request.user)
    if enrolment is None:
        return render(request, "courses/learning/dashboard_not_enrolled.html")
    progress = selectors.learner_progress(enrolment=enrolment)
    sections = catalogue_hooks.page_sections(
        "courses_learner_dashboard_sections", request=request, enrolment=enrolment
    )
    return render(
        request,
        "courses/learning/dashboard.html",
        {"progress": progress, "enrolment": enrolment, "extra_sections": sections},
    )


@login_required
def options_choose(request):
    enrolment = _learner_enrolment(request)
    modules = selectors.optional_modules(programme=enrolment.programme)
    chosen = cohorts_selectors.chosen_option_ids(enrolment=enrolment)
    current = [m for m in modules if m.pk in chosen]
    started_ids = selectors.started_module_ids(enrolment=enrolment, modules=current)
    started = [m for m in current if m.pk in started_ids]
    form = OptionChoiceForm(request.POST or None, modules=modules, initial={"options": list(chosen)})
    if request.method == "POST" and form.is_valid():
        try:
            services.options_choose(enrolment=enrolment, modules=list(form.cleaned_data["options"]))
        except ValidationError as exc:
            form.add_error("options", exc)
        else:
            messages.success(request, "Vos modules d'approfondissement sont enregistrés.")
            return redirect("lms:my_space")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "courses/learning/options.html",
        {"form": form, "modules": modules, "locked": bool(started), "started": started},
        status=status,
    )


@login_required
@require_POST
def lesson_complete(request, lesson_id):
    lesson, enrolment = _lesson_and_enrolment(request, lesson_id)
    try:
        credited = services.lesson_complete(enrolment=enrolment, lesson=lesson)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(lesson.url)
    if credited:
        credited_word = fr_plural(lesson.duration_hours, "créditée,créditées")
        messages.success(
            request, f"Leçon terminée : {hours(lesson.duration_hours)} d'e-learning {credited_word}."
        )
    else:
        messages.info(request, "Cette leçon était déjà terminée : ses heures sont créditées une seule fois.")
    return redirect(lesson.url)


@login_required
@require_POST
def knowledge_check_submit(request, lesson_id):
    lesson, enrolment = _lesson_and_enrolment(request, lesson_id)
    seed_key = checks_services.SEED_SESSION_KEY.format(lesson_id=lesson.pk)
    # Without a seed (the page was never opened in this session) the posted order cannot be read:
    # a fresh one is drawn and the submission refused as not matching the attempt shown.
    seed = request.session.get(seed_key) or request.session.setdefault(
        seed_key, checks_services.attempt_seed_new()
    )
    try:
        attempt = services.knowledge_check_submit(
            enrolment=enrolment, lesson=lesson, data=request.POST, seed=seed
        )
    except checks_services.AttemptPaused as exc:
        request.knowledge_check_error = " ".join(exc.messages)
        response = lesson.serve(request)
        response.status_code = 429
        response.headers["Retry-After"] = str(max(1, int((exc.retry_at - timezone.now()).total_seconds())))
        return response
    except checks_services.TamperedAnswers as exc:
        request.knowledge_check_error = " ".join(exc.messages)
        response = lesson.serve(request)
        response.status_code = 400
        return response
    except ValidationError as exc:
        request.knowledge_check_error = " ".join(exc.messages)
        request.knowledge_check_answers = getattr(exc, "answers", {})
        response = lesson.serve(request)
        response.status_code = 400
        return response
    # The next attempt is shown in a new order.
    request.session[seed_key] = checks_services.attempt_seed_new()
    if attempt.passed:
        messages.success(request, f"Quiz réussi ({attempt.score} %) : la leçon est terminée.")
    else:
        messages.warning(
            request,
            f"Quiz non réussi ({attempt.score} %). Revoyez les points indiqués puis réessayez.",
        )
    return redirect(lesson.url + "#quiz")


@login_required
@require_POST
def heartbeat(request, lesson_id):
    """Log time spent on a lesson. 204 when counted, 429 when it comes too soon after the last."""
    if not permissions.is_learner(request.user):
        raise PermissionDenied("Seul·es les apprenant·es ont un relevé de connexion.")
    # A cheap shield against floods, per lesson so that a newly opened lesson is recorded at once;
    # counting time once per learner across tabs and lessons is heartbeat_record's rule.
    key = f"heartbeat:{request.user.pk}:{lesson_id}"
    if not cache.add(key, 1, timeout=settings.HEARTBEAT_MIN_INTERVAL_SECONDS):
        return HttpResponse(status=429, headers={"Retry-After": str(settings.HEARTBEAT_MIN_INTERVAL_SECONDS)})
    lesson, enrolment = _lesson_and_enrolment(request, lesson_id)
    try:
        counted = services.heartbeat_record(enrolment=enrolment, lesson=lesson)
    except ValidationError:
        return HttpResponse(status=403)
    return HttpResponse(status=204 if counted else 429)
