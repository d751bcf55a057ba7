import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.cache import cache

from assessments.checks.models import KnowledgeCheckAttempt
from courses.cohorts.models import ElectiveChoice
from courses.hours.models import HoursEntry
from courses.learning import services as learning_services
from courses.learning.models import LessonActivity
from tests.assessments.checks.quiz import RIGHT, WRONG, quiz_data, quiz_form
from tests.factories import lessons_of


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


def test_dashboard_shows_hours_against_target(learner_client, enrolment_with_options, modules):
    """The dashboard shows credited hours and the target of core modules + chosen options."""
    learning_services.lesson_complete(enrolment=enrolment_with_options, lesson=lessons_of(modules[0])[0])
    html = learner_client.get("/mon-espace/").content.decode()
    # E-learning target: 4 × 5 h + 4 h + 4 h = 28 h; credited 2.5 h; remaining 25.5 h.
    assert "2,5 h" in html and "28 h" in html and "25,5 h" in html
    # Presential target: 4 × 12 + 6 + 6 = 60 h.
    assert "60 h" in html
    assert "Reprendre" in html


def test_dashboard_invites_to_choose_options(learner_client, enrolment):
    """Without options, the dashboard asks the learner to choose them."""
    html = learner_client.get("/mon-espace/").content.decode()
    assert "Choisissez vos deux modules d'approfondissement" in html


def test_learner_without_enrolment_is_told_what_to_do(client, anonymous_learner):
    """A learner enrolled nowhere is told that their ARS enrols them."""
    client.force_login(anonymous_learner)
    html = client.get("/mon-espace/").content.decode()
    assert "Vous n'êtes inscrit·e dans aucune promotion" in html


def test_choose_two_options_by_form(learner_client, enrolment, modules):
    """Posting two options records them and returns to the dashboard."""
    response = learner_client.post("/parcours/options/", {"options": [modules[4].pk, modules[5].pk]})
    assert response.status_code == 302
    assert ElectiveChoice.objects.filter(enrolment=enrolment).count() == 2


@pytest.mark.parametrize("picked", [[4], [4, 5, 6], []])
def test_wrong_number_of_options_is_refused_with_message(learner_client, enrolment, modules, picked):
    """One, three or no options: a clear error, the ticks kept, nothing recorded."""
    response = learner_client.post("/parcours/options/", {"options": [modules[i].pk for i in picked]})
    html = response.content.decode()
    assert response.status_code == 400
    assert "exactement 2" in html
    for i in picked:
        assert f'value="{modules[i].pk}" id="option-{modules[i].pk}"\n               checked' in html
    assert not ElectiveChoice.objects.exists()


def test_tampered_option_id_is_refused(learner_client, enrolment, modules):
    """A core module id posted as an option is refused."""
    response = learner_client.post("/parcours/options/", {"options": [modules[0].pk, modules[4].pk]})
    assert response.status_code == 400
    assert not ElectiveChoice.objects.exists()


def test_changing_started_options_is_refused(learner_client, enrolment_with_options, modules):
    """Once an option is started, the page says the choice is final and a post is refused."""
    learning_services.lesson_complete(enrolment=enrolment_with_options, lesson=lessons_of(modules[5])[0])
    assert "Votre choix est définitif" in learner_client.get("/parcours/options/").content.decode()
    response = learner_client.post("/parcours/options/", {"options": [modules[4].pk, modules[5].pk]})
    assert response.status_code == 400
    assert "Vous avez commencé le module" in response.content.decode()


def test_complete_lesson_button_credits_once(learner_client, enrolment, modules):
    """« J'ai terminé » credits the lesson; a replay says it was already done."""
    lesson = lessons_of(modules[0])[0]
    url = f"/parcours/lecons/{lesson.pk}/terminer/"
    first = learner_client.post(url, follow=True).content.decode()
    second = learner_client.post(url, follow=True).content.decode()
    assert "2,5 h d&#x27;e-learning créditées" in first or "2,5 h d'e-learning créditées" in first
    assert "déjà terminée" in second
    assert HoursEntry.objects.filter(enrolment=enrolment).count() == 1


def test_complete_lesson_of_unfollowed_module_shows_reason(learner_client, enrolment_with_options, modules):
    """Completing a lesson of an option not chosen shows why and credits nothing."""
    lesson = lessons_of(modules[4])[0]
    html = learner_client.post(f"/parcours/lecons/{lesson.pk}/terminer/", follow=True).content.decode()
    assert "Vous ne suivez pas le module" in html
    assert not HoursEntry.objects.exists()


def test_complete_requires_post(learner_client, modules, enrolment):
    """A GET on the completion URL changes nothing."""
    lesson = lessons_of(modules[0])[0]
    assert learner_client.get(f"/parcours/lecons/{lesson.pk}/terminer/").status_code == 405
    assert not HoursEntry.objects.exists()


def test_failed_check_shows_what_to_review_and_can_be_retried(learner_client, enrolment, modules):
    """A failed check shows its score and the hints of the missed questions, not the questions; a
    retry that passes credits hours."""
    lesson = lessons_of(modules[0])[1]
    url = f"/parcours/lecons/{lesson.pk}/quiz/"
    html = learner_client.post(url, quiz_data(learner_client, lesson, WRONG), follow=True).content.decode()
    review = unescape(html).split("À revoir avant de réessayer")[1].split("</ul>")[0]
    assert "Dernière tentative : 0 %" in unescape(html)
    assert "Relisez la partie sur les signataires." in review
    assert "Qui signe un contrat local de santé ?" not in review
    assert "Valider mes réponses" in html
    html = learner_client.post(url, quiz_data(learner_client, lesson, RIGHT), follow=True).content.decode()
    assert "Quiz réussi (100 %)" in html
    assert HoursEntry.objects.get(enrolment=enrolment).hours == Decimal("2.50")


def test_incomplete_check_keeps_ticked_answers(learner_client, enrolment, modules):
    """An unanswered question: a clear error, the ticked answers kept, no attempt stored."""
    lesson = lessons_of(modules[0])[1]
    data = quiz_data(learner_client, lesson, [RIGHT[0]])
    [(field, [value])] = [(k, v) for k, v in data.items() if k != "attempt"]
    response = learner_client.post(f"/parcours/lecons/{lesson.pk}/quiz/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Répondez à toutes les questions" in html
    assert f'id="{field}-c{value}" name="{field}" value="{value}"\n              checked' in html
    assert not KnowledgeCheckAttempt.objects.exists()


def test_tampered_check_is_refused(learner_client, enrolment, modules):
    """A crafted answer set is refused with a clear message and nothing stored."""
    lesson = lessons_of(modules[0])[1]
    seed, _ = quiz_form(learner_client, lesson)
    response = learner_client.post(
        f"/parcours/lecons/{lesson.pk}/quiz/", {"attempt": seed, "q0": "9", "q1": "0"}
    )
    assert response.status_code == 400
    assert "ne correspondent pas au quiz" in response.content.decode()
    assert not KnowledgeCheckAttempt.objects.exists()


def test_heartbeat_is_rate_limited(learner_client, enrolment, modules):
    """A flood of heartbeats: the first counts, the others get 429 and add nothing."""
    lesson = lessons_of(modules[0])[0]
    url = f"/parcours/lecons/{lesson.pk}/activite/"
    statuses = [learner_client.post(url).status_code for _ in range(50)]
    assert statuses[0] == 204
    assert set(statuses[1:]) == {429}
    assert LessonActivity.objects.get().beats == 1


def test_lesson_page_offers_resume_and_shows_state(learner_client, enrolment, modules):
    """The lesson page shows « J'ai terminé », then the completed state."""
    lesson = lessons_of(modules[0])[0]
    assert (
        "J&#x27;ai terminé" in learner_client.get(lesson.url).content.decode()
        or "J'ai terminé" in learner_client.get(lesson.url).content.decode()
    )
    learning_services.lesson_complete(enrolment=enrolment, lesson=lesson)
    assert "Leçon terminée" in learner_client.get(lesson.url).content.decode()


def _resume_href(client) -> str:
    html = client.get("/mon-espace/").content.decode()
    return re.search(r'<a class="fr-btn" href="([^"]+)">Reprendre</a>', html).group(1)


def test_resume_follows_the_lesson_last_worked_on(learner_client, enrolment, modules):
    """« Reprendre » points to the lesson of the last heartbeat, then to the next unfinished one of
    its module once it is completed."""
    first, second = lessons_of(modules[1])[:2]
    assert _resume_href(learner_client) == lessons_of(modules[0])[0].url
    assert learner_client.post(f"/parcours/lecons/{first.pk}/activite/").status_code == 204
    assert _resume_href(learner_client) == first.url
    learner_client.post(f"/parcours/lecons/{first.pk}/terminer/")
    assert _resume_href(learner_client) == second.url


@pytest.fixture
def foreign_lessons(programme):
    """A lesson without and a lesson with a knowledge check, in a programme the learner does not follow."""
    from tests.factories import build_programme, modules_of

    return lessons_of(modules_of(build_programme())[0])[:2]


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("terminer", {}),
        ("quiz", {"q0": "0", "q1": ["0", "1"]}),
        ("activite", {}),
    ],
)
def test_lesson_of_another_programme_is_refused_and_nothing_written(
    learner_client, enrolment, foreign_lessons, action, data
):
    """Completing, answering the quiz of, or beating on another programme's lesson: 403 with the
    reason in French, and no hours, attempt or activity recorded."""
    lesson = foreign_lessons[1] if action == "quiz" else foreign_lessons[0]
    response = learner_client.post(f"/parcours/lecons/{lesson.pk}/{action}/", data)
    assert response.status_code == 403
    assert "Cette leçon fait partie d'un programme que vous ne suivez pas." in unescape(
        response.content.decode()
    )
    assert not HoursEntry.objects.exists()
    assert not KnowledgeCheckAttempt.objects.exists()
    assert not LessonActivity.objects.exists()


def test_one_hour_lesson_is_credited_in_the_singular(learner_client, enrolment, modules):
    """« 1 h d'e-learning créditée »: the word agrees with the hour figure, in the message and on the page."""
    lesson = lessons_of(modules[0])[0]
    lesson.duration_hours = Decimal("1")
    lesson.save()
    html = unescape(
        learner_client.post(f"/parcours/lecons/{lesson.pk}/terminer/", follow=True).content.decode()
    )
    assert "Leçon terminée : 1 h d'e-learning créditée." in html
    assert "créditées" not in html


def test_lock_notice_names_only_the_option_started(learner_client, enrolment_with_options, modules):
    """The options page names the optional module actually started, not every current option."""
    learning_services.lesson_complete(enrolment=enrolment_with_options, lesson=lessons_of(modules[5])[0])
    html = unescape(learner_client.get("/parcours/options/").content.decode())
    assert "Vous avez commencé « Santé environnement » : vos options ne peuvent plus être modifiées." in html


def test_module_and_programme_pages_show_hours_the_french_way(client, programme, modules):
    """Hour figures read « 4,5 h », never « 4,50 h », on the module and programme pages."""
    from courses.catalogue.models import ModulePage

    # The demo figures sit on the programme's bounds: set the figure without the admin's check.
    ModulePage.objects.filter(pk=modules[0].pk).update(hours_elearning=Decimal("4.5"))
    module = ModulePage.objects.get(pk=modules[0].pk)
    lesson = lessons_of(module)[0]
    for html in (client.get(module.url).content.decode(), client.get(programme.url).content.decode()):
        assert "4,5 h" in html
        assert "4,50" not in html
        assert "2,50" not in html
    assert (
        f'{lesson.title}</a> <span class="fr-text--sm">(2,5 h)</span>'
        in client.get(module.url).content.decode()
    )
