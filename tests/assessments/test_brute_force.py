"""Knowledge checks cannot be brute-forced: a pause after repeated failures, and questions and
choices in a new order at each attempt, while grading and « what to review » stay right."""

from datetime import timedelta
from html import unescape

import pytest
from django.http import QueryDict
from django.utils import timezone

from assessments import services
from assessments.models import KnowledgeCheckAttempt
from courses.models import LessonCompletion
from tests.assessments.quiz import RIGHT, WRONG, quiz_data, quiz_form
from tests.factories import lessons_of, quiz_block

CHECK = quiz_block(pass_mark=50)["value"]


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


def _by_text(*, seed: str, texts: list[str]) -> QueryDict:
    """The POST data of attempt `seed` ticking the choices named `texts`."""
    data = QueryDict(mutable=True)
    data["attempt"] = seed
    for item in services.knowledge_check_layout(check=CHECK, seed=seed):
        for choice in item["choices"]:
            if choice["text"] in texts:
                data.appendlist(f"q{item['position']}", str(choice["position"]))
    return data


def test_order_is_stable_for_one_attempt_and_changes_across_attempts():
    """One seed always gives the same order; different seeds give different orders of questions or
    choices; every order holds every question and choice once."""
    seed = services.attempt_seed_new()
    assert services.knowledge_check_order(check=CHECK, seed=seed) == services.knowledge_check_order(
        check=CHECK, seed=seed
    )
    orders = {
        repr(services.knowledge_check_order(check=CHECK, seed=services.attempt_seed_new())) for _ in range(40)
    }
    assert len(orders) > 1
    for order in map(eval, orders):
        assert sorted(q for q, _ in order) == [0, 1]
        assert all(
            sorted(choices) == list(range(len(CHECK["questions"][q]["choices"]))) for q, choices in order
        )


@pytest.mark.parametrize("attempt", range(12))
def test_grading_does_not_depend_on_the_order(attempt):
    """Whatever the order shown, the right choices pass with 100 % and the wrong ones score 0 %."""
    seed = services.attempt_seed_new()
    right = services.knowledge_check_parse(check=CHECK, data=_by_text(seed=seed, texts=RIGHT), seed=seed)
    wrong = services.knowledge_check_parse(check=CHECK, data=_by_text(seed=seed, texts=WRONG), seed=seed)
    assert right == {0: [0], 1: [0, 1]}
    assert services.knowledge_check_grade(check=CHECK, answers=right).score == 100
    assert services.knowledge_check_grade(check=CHECK, answers=wrong).score == 0


def _fail(enrolment, lesson, at):
    seed = services.attempt_seed_new()
    return services.knowledge_check_submit(
        enrolment=enrolment, lesson=lesson, data=_by_text(seed=seed, texts=WRONG), seed=seed, now=at
    )


def test_pause_after_three_failures_within_an_hour(enrolment, modules):
    """Three failures within an hour: a fourth attempt 5 minutes later is refused with the minutes to
    wait and nothing stored; 15 minutes after the last failure it is accepted again."""
    lesson = lessons_of(modules[0])[1]
    start = timezone.now() - timedelta(hours=2)
    for minutes in (0, 10, 20):
        assert not _fail(enrolment, lesson, start + timedelta(minutes=minutes)).passed
    seed = services.attempt_seed_new()
    with pytest.raises(services.AttemptPaused) as paused:
        services.knowledge_check_submit(
            enrolment=enrolment,
            lesson=lesson,
            data=_by_text(seed=seed, texts=RIGHT),
            seed=seed,
            now=start + timedelta(minutes=25),
        )
    assert "réessayer dans 10 minutes" in paused.value.messages[0]
    assert KnowledgeCheckAttempt.objects.count() == 3
    assert not LessonCompletion.objects.exists()
    attempt = services.knowledge_check_submit(
        enrolment=enrolment,
        lesson=lesson,
        data=_by_text(seed=seed, texts=RIGHT),
        seed=seed,
        now=start + timedelta(minutes=35),
    )
    assert attempt.passed


def test_failures_spread_over_more_than_an_hour_bring_no_pause(enrolment, modules):
    """Three failures 40 minutes apart never reach three within an hour: no pause."""
    lesson = lessons_of(modules[0])[1]
    start = timezone.now() - timedelta(hours=3)
    for minutes in (0, 40, 80):
        _fail(enrolment, lesson, start + timedelta(minutes=minutes))
    assert (
        services.knowledge_check_retry_at(
            enrolment=enrolment, lesson=lesson, now=start + timedelta(minutes=81)
        )
        is None
    )


def test_a_form_of_another_attempt_is_refused(enrolment, modules):
    """Answers posted with another attempt's seed (a stale tab) are refused and nothing is stored."""
    lesson = lessons_of(modules[0])[1]
    seed = services.attempt_seed_new()
    with pytest.raises(services.TamperedAnswers):
        services.knowledge_check_submit(
            enrolment=enrolment,
            lesson=lesson,
            data=_by_text(seed=services.attempt_seed_new(), texts=RIGHT),
            seed=seed,
        )
    assert not KnowledgeCheckAttempt.objects.exists()


def test_view_shows_the_french_pause_and_stores_nothing(learner_client, enrolment, modules):
    """After three failed attempts through the page, the fourth is answered 429 with the French
    pause message and no attempt stored; the page then offers no form, only the time to wait."""
    lesson = lessons_of(modules[0])[1]
    url = f"/parcours/lecons/{lesson.pk}/quiz/"
    for _ in range(3):
        assert learner_client.post(url, quiz_data(learner_client, lesson, WRONG)).status_code == 302
    # The page offers no form during the pause: a script posts the right answers anyway.
    seed = learner_client.session[services.SEED_SESSION_KEY.format(lesson_id=lesson.pk)]
    response = learner_client.post(url, _by_text(seed=seed, texts=RIGHT))
    html = unescape(response.content.decode())
    assert response.status_code == 429
    assert "Vous avez échoué 3 fois à ce quiz en moins d'une heure" in html
    assert "Vous pourrez réessayer dans 15 minutes." in html
    assert KnowledgeCheckAttempt.objects.count() == 3
    assert not LessonCompletion.objects.exists()
    page = unescape(learner_client.get(lesson.url).content.decode())
    assert "Vous pourrez réessayer ce quiz dans 15 minutes" in page
    assert "Valider mes réponses" not in page


def test_view_shuffles_per_attempt_and_names_what_to_review_by_text(learner_client, enrolment, modules):
    """The page keeps its order until an attempt is sent, then shows a new one; the review list
    names the missed questions by their text, not by a number that the new order would change."""
    lesson = lessons_of(modules[0])[1]
    url = f"/parcours/lecons/{lesson.pk}/quiz/"
    first = quiz_form(learner_client, lesson)
    assert quiz_form(learner_client, lesson) == first
    learner_client.post(url, quiz_data(learner_client, lesson, WRONG))
    seeds = {first[0]}
    layouts = {tuple(sorted(first[1].items()))}
    html = unescape(learner_client.get(lesson.url).content.decode())
    assert "« Qui signe un contrat local de santé ? » : Relisez la partie sur les signataires." in html
    assert "Question 1 — Qui signe" not in html.split("À revoir")[1].split("</ul>")[0]
    for _ in range(2):
        seed, choices = quiz_form(learner_client, lesson)
        seeds.add(seed)
        layouts.add(tuple(sorted(choices.items())))
        learner_client.post(url, {"attempt": seed, **{"q0": "0"}})  # incomplete: not an attempt
        learner_client.post(url, quiz_data(learner_client, lesson, WRONG))
        KnowledgeCheckAttempt.objects.all().delete()  # keep clear of the pause
    assert len(seeds) == 3
