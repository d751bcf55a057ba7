"""Knowledge checks cannot be brute-forced: a failed attempt tells its score and the topics to
review, not which questions were wrong; a pause after repeated failures doubles at each further
one; questions and choices come in a new order at each attempt; grading and « what to review »
stay right."""

import zoneinfo
from datetime import datetime, timedelta
from html import unescape
from types import SimpleNamespace

import pytest
from django.http import QueryDict
from django.utils import timezone

from assessments.checks import selectors as checks_selectors
from assessments.checks import services as checks_services
from assessments.checks.models import KnowledgeCheckAttempt
from courses.learning import services as learning_services
from courses.learning.models import LessonCompletion
from tests.assessments.checks.guesser import Guesser, page_form
from tests.assessments.checks.quiz import RIGHT, WRONG, quiz_data, quiz_form
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
    for item in checks_services.knowledge_check_layout(check=CHECK, seed=seed):
        for choice in item["choices"]:
            if choice["text"] in texts:
                data.appendlist(f"q{item['position']}", str(choice["position"]))
    return data


def test_order_is_stable_for_one_attempt_and_changes_across_attempts():
    """One seed always gives the same order; different seeds give different orders of questions or
    choices; every order holds every question and choice once."""
    seed = checks_services.attempt_seed_new()
    assert checks_services.knowledge_check_order(
        check=CHECK, seed=seed
    ) == checks_services.knowledge_check_order(check=CHECK, seed=seed)
    orders = {
        repr(checks_services.knowledge_check_order(check=CHECK, seed=checks_services.attempt_seed_new()))
        for _ in range(40)
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
    seed = checks_services.attempt_seed_new()
    right = checks_services.knowledge_check_parse(
        check=CHECK, data=_by_text(seed=seed, texts=RIGHT), seed=seed
    )
    wrong = checks_services.knowledge_check_parse(
        check=CHECK, data=_by_text(seed=seed, texts=WRONG), seed=seed
    )
    assert right == {0: [0], 1: [0, 1]}
    assert checks_services.knowledge_check_grade(check=CHECK, answers=right).score == 100
    assert checks_services.knowledge_check_grade(check=CHECK, answers=wrong).score == 0


def _fail(enrolment, lesson, at):
    seed = checks_services.attempt_seed_new()
    return learning_services.knowledge_check_submit(
        enrolment=enrolment, lesson=lesson, data=_by_text(seed=seed, texts=WRONG), seed=seed, now=at
    )


def test_pause_after_three_failures_within_an_hour(enrolment, modules):
    """Three failures within an hour: a fourth attempt 5 minutes later is refused with the minutes to
    wait and nothing stored; 15 minutes after the last failure it is accepted again."""
    lesson = lessons_of(modules[0])[1]
    start = timezone.now() - timedelta(hours=2)
    for minutes in (0, 10, 20):
        assert not _fail(enrolment, lesson, start + timedelta(minutes=minutes)).passed
    seed = checks_services.attempt_seed_new()
    with pytest.raises(checks_services.AttemptPaused) as paused:
        learning_services.knowledge_check_submit(
            enrolment=enrolment,
            lesson=lesson,
            data=_by_text(seed=seed, texts=RIGHT),
            seed=seed,
            now=start + timedelta(minutes=25),
        )
    assert "réessayer dans 10 minutes" in paused.value.messages[0]
    assert KnowledgeCheckAttempt.objects.count() == 3
    assert not LessonCompletion.objects.exists()
    attempt = learning_services.knowledge_check_submit(
        enrolment=enrolment,
        lesson=lesson,
        data=_by_text(seed=seed, texts=RIGHT),
        seed=seed,
        now=start + timedelta(minutes=35),
    )
    assert attempt.passed


def test_failures_more_than_a_day_apart_are_not_in_a_row(enrolment, modules):
    """Three failures 26 hours apart are not in a row (a learner coming back days later starts
    afresh): no pause."""
    lesson = lessons_of(modules[0])[1]
    start = timezone.now() - timedelta(hours=60)
    for hours in (0, 26, 52):
        _fail(enrolment, lesson, start + timedelta(hours=hours))
    assert (
        checks_services.knowledge_check_retry_at(
            enrolment=enrolment, lesson=lesson, now=start + timedelta(hours=52)
        )
        is None
    )


def test_pause_doubles_at_each_further_failure_in_a_row_up_to_a_day(enrolment, modules):
    """Each failure right after a pause doubles it: 15, 30, 60, 120, 240, 480, 960 minutes, then 24 h
    and no more; an attempt before the end is refused and stores nothing; a pass ends the series."""
    lesson = lessons_of(modules[0])[1]
    at = timezone.now() - timedelta(days=10)
    for minutes in (0, 1):
        _fail(enrolment, lesson, at + timedelta(minutes=minutes))
    at += timedelta(minutes=2)
    waits = []
    for _ in range(10):
        _fail(enrolment, lesson, at)
        retry_at = checks_services.knowledge_check_retry_at(enrolment=enrolment, lesson=lesson, now=at)
        waits.append(round((retry_at - at).total_seconds() / 60))
        seed = checks_services.attempt_seed_new()
        stored = KnowledgeCheckAttempt.objects.count()
        with pytest.raises(checks_services.AttemptPaused):
            learning_services.knowledge_check_submit(
                enrolment=enrolment,
                lesson=lesson,
                data=_by_text(seed=seed, texts=RIGHT),
                seed=seed,
                now=retry_at - timedelta(seconds=1),
            )
        assert KnowledgeCheckAttempt.objects.count() == stored
        at = retry_at + timedelta(minutes=5)
    assert waits == [15, 30, 60, 120, 240, 480, 960, 1440, 1440, 1440]
    seed = checks_services.attempt_seed_new()
    assert learning_services.knowledge_check_submit(
        enrolment=enrolment, lesson=lesson, data=_by_text(seed=seed, texts=RIGHT), seed=seed, now=at
    ).passed
    assert checks_services.knowledge_check_retry_at(enrolment=enrolment, lesson=lesson, now=at) is None


def _attempt(passed: bool, minutes_ago: float, now: datetime):
    return SimpleNamespace(passed=passed, created_at=now - timedelta(minutes=minutes_ago))


def test_retry_rule_reads_only_what_the_page_reads():
    """The rule needs no more than the ATTEMPTS_FOR_PAUSE latest attempts: with that many failures
    in a row the pause is already 24 h; fewer in a row read the same way from a longer list."""
    now = timezone.now()
    assert checks_selectors.ATTEMPTS_FOR_PAUSE == 10
    failures = [_attempt(False, 1 + i, now) for i in range(checks_selectors.ATTEMPTS_FOR_PAUSE)]
    assert checks_services.retry_at_after(recent_attempts=failures, now=now) == failures[
        0
    ].created_at + timedelta(hours=24)
    series = [
        _attempt(False, 1, now),
        _attempt(False, 2, now),
        _attempt(False, 3, now),
        _attempt(False, 4, now),
    ]
    older = [_attempt(True, 5, now)] + [_attempt(False, 6 + i, now) for i in range(5)]
    assert checks_services.retry_at_after(recent_attempts=series + older, now=now) == series[
        0
    ].created_at + timedelta(minutes=30)
    assert checks_services.retry_at_after(recent_attempts=series[:2], now=now) is None


PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("wait", "told"),
    [
        (timedelta(seconds=20), "dans 1 minute"),
        (timedelta(minutes=14, seconds=1), "dans 15 minutes"),
        (timedelta(minutes=30), "dans 30 minutes"),
        (timedelta(hours=1), "dans 1 heure"),
        (timedelta(minutes=90), "dans 1 h 30"),
        (timedelta(hours=2), "dans 2 heures"),
        (timedelta(hours=3), "dans 3 heures"),
        (timedelta(hours=4), "aujourd'hui à 18 h 00"),
        (timedelta(hours=19, minutes=15), "demain à 9 h 15"),
        (timedelta(hours=19, minutes=14, seconds=1), "demain à 9 h 15"),
    ],
)
def test_retry_is_told_as_a_delay_then_as_a_time(wait, told):
    """Up to three hours the wait is told as a delay, beyond it as the learner's clock time, today
    or tomorrow; both rounded up to the minute so that the learner is never told too early."""
    now = datetime(2026, 3, 10, 14, 0, tzinfo=PARIS)
    assert checks_services.retry_when(retry_at=now + wait, now=now, tz=PARIS) == told


def test_retry_time_is_the_learners_own(enrolment):
    """A learner of La Réunion is told the time on La Réunion (UTC+4), not in Paris."""
    enrolment.cohort.region.timezone = "Indian/Reunion"
    now = datetime(2026, 3, 10, 20, 0, tzinfo=PARIS)  # 23:00 on La Réunion
    tz = checks_services.learner_timezone(enrolment=enrolment)
    assert checks_services.retry_when(retry_at=now + timedelta(hours=8), now=now, tz=tz) == "demain à 7 h 00"


def test_what_to_review_names_topics_not_questions():
    """Topics are the hints of the missed questions, each once, sorted whatever the question order,
    then « Relisez la leçon. » once for the missed questions without a hint."""
    check = {
        "questions": [
            {"text": "Q0", "review_hint": "Les signataires.", "choices": []},
            {"text": "Q1", "review_hint": "", "choices": []},
            {"text": "Q2", "review_hint": "Les acteurs.", "choices": []},
            {"text": "Q3", "review_hint": "Les signataires.", "choices": []},
            {"text": "Q4", "review_hint": "", "choices": []},
        ]
    }
    expected = ["Les acteurs.", "Les signataires.", "Relisez la leçon."]
    assert checks_services.review_topics(check=check, wrong_questions=[0, 1, 2, 3, 4]) == expected
    assert checks_services.review_topics(check=check, wrong_questions=[4, 3, 2, 1, 0]) == expected
    assert checks_services.review_topics(check=check, wrong_questions=[2, 0]) == [
        "Les acteurs.",
        "Les signataires.",
    ]
    assert checks_services.review_topics(check=check, wrong_questions=[1, 9]) == ["Relisez la leçon."]


def test_a_form_of_another_attempt_is_refused(enrolment, modules):
    """Answers posted with another attempt's seed (a stale tab) are refused and nothing is stored."""
    lesson = lessons_of(modules[0])[1]
    seed = checks_services.attempt_seed_new()
    with pytest.raises(checks_services.TamperedAnswers):
        learning_services.knowledge_check_submit(
            enrolment=enrolment,
            lesson=lesson,
            data=_by_text(seed=checks_services.attempt_seed_new(), texts=RIGHT),
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
    seed = learner_client.session[checks_services.SEED_SESSION_KEY.format(lesson_id=lesson.pk)]
    response = learner_client.post(url, _by_text(seed=seed, texts=RIGHT))
    html = unescape(response.content.decode())
    assert response.status_code == 429
    assert "Vous avez échoué plusieurs fois de suite à ce quiz" in html
    assert "Vous pourrez réessayer dans 15 minutes." in html
    assert KnowledgeCheckAttempt.objects.count() == 3
    assert not LessonCompletion.objects.exists()
    page = unescape(learner_client.get(lesson.url).content.decode())
    assert "Vous pourrez réessayer ce quiz dans 15 minutes" in page
    assert "Valider mes réponses" not in page


def test_view_shuffles_per_attempt_and_shows_topics_not_questions(learner_client, enrolment, modules):
    """The page keeps its order until an attempt is sent, then shows a new one; after a failure the
    review list holds the hints of the missed questions, sorted, and none of the questions' texts."""
    lesson = lessons_of(modules[0])[1]
    url = f"/parcours/lecons/{lesson.pk}/quiz/"
    first = quiz_form(learner_client, lesson)
    assert quiz_form(learner_client, lesson) == first
    learner_client.post(url, quiz_data(learner_client, lesson, WRONG))
    seeds = {first[0]}
    layouts = {tuple(sorted(first[1].items()))}
    html = unescape(learner_client.get(lesson.url).content.decode())
    review = html.split("À revoir avant de réessayer")[1].split("</ul>")[0]
    assert review.index("Relisez la partie sur les inégalités de santé.") < review.index(
        "Relisez la partie sur les signataires."
    )
    assert "Qui signe" not in review and "objectifs" not in review
    for _ in range(2):
        seed, choices = quiz_form(learner_client, lesson)
        seeds.add(seed)
        layouts.add(tuple(sorted(choices.items())))
        learner_client.post(url, {"attempt": seed, **{"q0": "0"}})  # incomplete: not an attempt
        learner_client.post(url, quiz_data(learner_client, lesson, WRONG))
        KnowledgeCheckAttempt.objects.all().delete()  # keep clear of the pause
    assert len(seeds) == 3


GUESSED = {f"Que dit la partie {n} de la leçon ?": [f"Réponse {n}.{c}" for c in "abc"] for n in range(1, 5)}
GUESSED_RIGHT = {"Réponse 1.a", "Réponse 2.c", "Réponse 3.c", "Réponse 4.b"}


def test_a_scripted_guesser_cannot_pass_four_questions_in_three_attempts(learner_client, enrolment, modules):
    """A script reading each question and choice by text, and after each failure only the page (score
    and « À revoir »), does not pass a 4-question, 3-choice check at 70 % in 3 attempts, though it
    knows every hint beforehand (with the missed questions named, it passed at the 3rd at most);
    the 4th attempt is paused."""
    lesson = lessons_of(modules[0])[1]
    lesson.body = [
        {
            "type": "knowledge_check",
            "value": {
                "title": "Vérifiez vos connaissances",
                "pass_mark": 70,
                "questions": [
                    {
                        "text": text,
                        "review_hint": f"La partie {n} de la leçon.",
                        "choices": [
                            {"text": choice, "correct": choice in GUESSED_RIGHT} for choice in choices
                        ],
                    }
                    for n, (text, choices) in enumerate(GUESSED.items(), 1)
                ],
            },
        }
    ]
    lesson.save()
    url = f"/parcours/lecons/{lesson.pk}/quiz/"
    guesser = Guesser(questions=GUESSED, hints=[f"La partie {n} de la leçon." for n in range(1, 5)])
    for _ in range(3):
        seed, form = page_form(learner_client.get(lesson.url).content.decode())
        guess = guesser.guess()
        data: dict = {"attempt": seed}
        for question, choice in guess.items():
            field, value = form[question][choice]
            data[field] = value
        html = learner_client.post(url, data, follow=True).content.decode()
        assert "Quiz réussi" not in html
        guesser.observe(guess=guess, html=html)
    assert not LessonCompletion.objects.exists()
    assert "Pause avant la prochaine tentative" in unescape(learner_client.get(lesson.url).content.decode())
