"""The mémoire through the web: the learner's page and forms, the team's board and decisions, the
tutor's list and draft page, with the French messages shown and nothing written on error."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.memoire.enums import MemoireState
from assessments.memoire.models import DraftComment, Memoire, MemoireDraft, MemoireEvent, MemoireFinal
from tests import uploads_samples as samples
from tests.assessments.memoire.factories import SUBJECT, memoire_at, pdf_upload
from tests.factories import EnrolmentFactory, TrainerFactory

pytestmark = pytest.mark.django_db
S = MemoireState


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_learner_proposes_a_subject_and_sees_the_stepper(client, enrolment):
    client.force_login(enrolment.user)
    page = text(client.get("/parcours/memoire/"))
    assert "Étape 1 sur 5" in page and "Proposez le sujet de votre mémoire" in page
    assert "Rien encore : l'historique commence avec la proposition du sujet." in page
    response = client.post("/parcours/memoire/sujet/", SUBJECT)
    assert response.status_code == 302
    assert Memoire.objects.get(enrolment=enrolment).state == S.SUBJECT_PROPOSED
    page = text(client.get("/parcours/memoire/"))
    assert "Votre sujet attend l'avis de l'équipe pédagogique." in page
    assert SUBJECT["title"] in page and "Sujet proposé" in page


def test_an_incomplete_subject_is_a_400_with_the_fields_named(client, enrolment):
    client.force_login(enrolment.user)
    response = client.post(
        "/parcours/memoire/sujet/", {"title": "", "kind": "x", "summary": "", "cls_name": ""}
    )
    assert response.status_code == 400
    page = text(response)
    for message in (
        "Indiquez le titre de votre mémoire.",
        "Choisissez le type de mémoire.",
        "Résumez votre sujet en quelques lignes.",
        "Indiquez le contrat local de santé (CLS) concerné.",
    ):
        assert message in page
    assert not Memoire.objects.exists()


def test_the_team_approves_once_and_is_told_on_the_second_time(client, enrolment, pedagogical):
    memoire = memoire_at(enrolment, S.SUBJECT_PROPOSED, team=pedagogical)
    client.force_login(pedagogical)
    assert "Approuver le sujet" in text(client.get(f"/memoires/{memoire.pk}/"))
    assert client.post(f"/memoires/{memoire.pk}/approuver/", {"comment": "Très bien."}).status_code == 302
    events = MemoireEvent.objects.filter(memoire=memoire).count()
    response = client.post(f"/memoires/{memoire.pk}/approuver/", {"comment": ""})
    assert response.status_code == 400
    assert "Le sujet a déjà été approuvé." in text(response)
    assert MemoireEvent.objects.filter(memoire=memoire).count() == events


def test_a_returned_subject_shows_the_team_comment_to_the_learner(client, enrolment, pedagogical):
    memoire = memoire_at(enrolment, S.SUBJECT_PROPOSED, team=pedagogical)
    client.force_login(pedagogical)
    response = client.post(f"/memoires/{memoire.pk}/renvoyer/", {"comment": "Précisez le terrain d'étude."})
    assert response.status_code == 302
    client.force_login(enrolment.user)
    assert "Précisez le terrain d'étude." in text(client.get("/parcours/memoire/sujet/"))


def test_the_team_assigns_a_trainer_as_tutor(client, enrolment, pedagogical, trainer):
    memoire = memoire_at(enrolment, S.SUBJECT_APPROVED, team=pedagogical)
    client.force_login(pedagogical)
    assert client.post(f"/memoires/{memoire.pk}/tuteur/", {"tutor": enrolment.user.pk}).status_code == 400
    assert client.post(f"/memoires/{memoire.pk}/tuteur/", {"tutor": trainer.pk}).status_code == 302
    memoire.refresh_from_db()
    assert (memoire.state, memoire.tutor) == (S.IN_PROGRESS, trainer)


def test_a_final_version_before_approval_by_url_is_refused(client, enrolment, pedagogical):
    memoire_at(enrolment, S.SUBJECT_PROPOSED, team=pedagogical)
    client.force_login(enrolment.user)
    response = client.post(
        "/parcours/memoire/version-finale/", {"file": pdf_upload(15), "confirm": "on"}, follow=True
    )
    assert "Déposez la version finale une fois le sujet approuvé." in text(response)
    assert not MemoireFinal.objects.exists()


def test_draft_upload_and_the_tutor_comment(client, enrolment, pedagogical, trainer):
    memoire = memoire_at(enrolment, S.IN_PROGRESS, team=pedagogical, tutor=trainer)
    client.force_login(enrolment.user)
    response = client.post(
        "/parcours/memoire/brouillon/", {"file": SimpleUploadedFile("plan.exe.pdf", samples.EXE), "note": ""}
    )
    assert response.status_code == 400
    assert "c'est un programme exécutable" in text(response)
    assert not MemoireDraft.objects.exists()
    response = client.post(
        "/parcours/memoire/brouillon/", {"file": pdf_upload(3, "plan.pdf"), "note": "Mon plan"}
    )
    assert response.status_code == 302
    draft = memoire.drafts.get()
    other_trainer = TrainerFactory()
    client.force_login(other_trainer)
    assert client.post(f"/memoires/brouillons/{draft.pk}/", {"body": "Intrus"}).status_code == 404
    client.force_login(trainer)
    assert "1" in text(client.get("/formation/tutores/"))
    response = client.post(f"/memoires/brouillons/{draft.pk}/", {"body": "Étoffez la partie 2."})
    assert response.status_code == 302
    assert list(DraftComment.objects.values_list("body", "author")) == [("Étoffez la partie 2.", trainer.pk)]
    client.force_login(enrolment.user)
    assert "1 commentaire du tuteur ou de la tutrice" in text(client.get("/parcours/memoire/"))


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        (9, "Votre mémoire compte 9 pages : il en faut entre 10 et 20 (annexes à part)."),
        (21, "Votre mémoire compte 21 pages : il en faut entre 10 et 20 (annexes à part)."),
    ],
)
def test_a_final_version_outside_the_bounds_is_a_400_with_the_count(
    client, enrolment, pedagogical, pages, expected
):
    memoire_at(enrolment, S.IN_PROGRESS, team=pedagogical)
    client.force_login(enrolment.user)
    response = client.post("/parcours/memoire/version-finale/", {"file": pdf_upload(pages), "confirm": "on"})
    assert response.status_code == 400
    assert expected in text(response)
    assert not MemoireFinal.objects.exists()


def test_the_final_version_needs_the_confirmation(client, enrolment, pedagogical):
    memoire_at(enrolment, S.IN_PROGRESS, team=pedagogical)
    client.force_login(enrolment.user)
    response = client.post("/parcours/memoire/version-finale/", {"file": pdf_upload(15)})
    assert response.status_code == 400
    assert "Cochez la case pour confirmer le dépôt de la version finale." in text(response)
    response = client.post("/parcours/memoire/version-finale/", {"file": pdf_upload(15), "confirm": "on"})
    assert response.status_code == 302
    assert MemoireFinal.objects.get().pages == 15


def test_the_board_filters_by_state(client, cohort, pedagogical):
    first, second = EnrolmentFactory(cohort=cohort), EnrolmentFactory(cohort=cohort)
    memoire_at(first, S.SUBJECT_PROPOSED, team=pedagogical)
    client.force_login(pedagogical)
    page = text(client.get("/gestion/memoires/", {"state": S.SUBJECT_PROPOSED}))
    assert first.user.display_name in page and second.user.display_name not in page
    page = text(client.get("/gestion/memoires/", {"state": S.NOT_STARTED}))
    assert second.user.display_name in page and first.user.display_name not in page
    page = text(client.get("/gestion/memoires/", {"state": S.ADMITTED}))
    assert "Aucun·e apprenant·e à cette étape." in page


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("learner", "Mon mémoire", "Mes tutorés"),
        ("trainer", "Mes tutorés", "Mon mémoire"),
        ("pedagogical", "Mémoires", "Mes tutorés"),
    ],
)
def test_menu_entries_by_role(client, enrolment, trainer, pedagogical, role, shown, hidden):
    user = {"learner": enrolment.user, "trainer": trainer, "pedagogical": pedagogical}[role]
    client.force_login(user)
    page = text(client.get("/mon-espace/"))
    assert f">{shown}<" in page.replace("\n", "").replace("  ", "")
    assert f">{hidden}<" not in page.replace("\n", "").replace("  ", "")
