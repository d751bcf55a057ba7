"""The mémoire's state machine and services: the path from the subject to the final version, each
step logged; everything out of order, by the wrong person or with a bad file refused with a French
message, with nothing written."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.memoire import flows, selectors, services
from assessments.memoire.enums import MemoireState
from assessments.memoire.models import (
    AppendOnlyError,
    DraftComment,
    Memoire,
    MemoireDraft,
    MemoireEvent,
    MemoireFinal,
)
from tests import uploads_samples as samples
from tests.assessments.memoire.factories import SUBJECT, memoire_at, pdf_upload
from tests.factories import CohortFactory, EnrolmentFactory, TrainerFactory

pytestmark = pytest.mark.django_db

S = MemoireState


def messages_of(exc) -> str:
    return " ".join(exc.value.messages)


def snapshot(memoire: Memoire) -> tuple:
    """What a refused act must leave unchanged."""
    memoire.refresh_from_db()
    return (
        memoire.state,
        memoire.tutor_id,
        MemoireEvent.objects.filter(memoire=memoire).count(),
        MemoireDraft.objects.filter(memoire=memoire).count(),
        DraftComment.objects.filter(draft__memoire=memoire).count(),
        MemoireFinal.objects.filter(memoire=memoire).count(),
    )


def test_the_whole_path_is_logged_step_by_step(enrolment, pedagogical, trainer):
    """Propose, return, propose again, approve, assign a tutor, a draft, a comment, the final
    version: each step is one event with who, from and to."""
    learner = enrolment.user
    memoire = services.memoire_subject_propose(enrolment=enrolment, by=learner, **SUBJECT)
    memoire = services.memoire_subject_return(memoire=memoire, by=pedagogical, comment="Précisez le terrain.")
    memoire = services.memoire_subject_propose(
        enrolment=enrolment, by=learner, **{**SUBJECT, "title": "Un titre précisé"}
    )
    memoire = services.memoire_subject_approve(memoire=memoire, by=pedagogical)
    memoire = services.memoire_tutor_assign(memoire=memoire, tutor=trainer, by=pedagogical)
    draft = services.memoire_draft_upload(
        memoire=memoire, file=pdf_upload(4), note="Plan détaillé", by=learner
    )
    services.draft_comment_add(draft=draft, body="Bon plan ; étoffez la partie 2.", by=trainer)
    final = services.memoire_final_submit(memoire=memoire, file=pdf_upload(15), by=learner)
    memoire.refresh_from_db()
    assert memoire.state == S.FINAL_SUBMITTED
    assert memoire.title == "Un titre précisé"
    assert final.pages == 15
    assert draft.version == 1
    events = list(memoire.events.values_list("transition", "from_state", "to_state", "by"))
    assert events == [
        ("propose", S.NOT_STARTED, S.SUBJECT_PROPOSED, learner.pk),
        ("return_subject", S.SUBJECT_PROPOSED, S.SUBJECT_RETURNED, pedagogical.pk),
        ("propose", S.SUBJECT_RETURNED, S.SUBJECT_PROPOSED, learner.pk),
        ("approve", S.SUBJECT_PROPOSED, S.SUBJECT_APPROVED, pedagogical.pk),
        ("assign_tutor", S.SUBJECT_APPROVED, S.IN_PROGRESS, pedagogical.pk),
        ("upload_draft", S.IN_PROGRESS, S.IN_PROGRESS, learner.pk),
        ("comment_draft", S.IN_PROGRESS, S.IN_PROGRESS, trainer.pk),
        ("submit_final", S.IN_PROGRESS, S.FINAL_SUBMITTED, learner.pk),
    ]
    assert memoire.events.get(transition="return_subject").comment == "Précisez le terrain."


def test_every_transition_names_known_states_and_the_later_states_are_declared():
    """The table only names declared states, and every later state has a way in (the marking's and
    the soutenance's transitions)."""
    for transition in flows.TRANSITIONS.values():
        assert transition.sources <= set(S.values)
        assert transition.target is None or transition.target in S.values
        assert set(transition.refusals) <= set(S.values) - transition.sources
        assert transition.name in flows.TRANSITION_LABELS
    targets = {t.target for t in flows.TRANSITIONS.values()}
    assert {S.MARKING, S.RECONCILIATION, S.MARKED, S.RELEASED} <= targets
    assert {S.SOUTENANCE_BOOKED, S.ADMITTED, S.ADJOURNED} <= targets


def test_approving_a_subject_twice_is_refused(enrolment, pedagogical):
    """« Le sujet a déjà été approuvé. », and no second event."""
    memoire = memoire_at(enrolment, S.SUBJECT_APPROVED, team=pedagogical)
    before = snapshot(memoire)
    with pytest.raises(ValidationError) as exc:
        services.memoire_subject_approve(memoire=memoire, by=pedagogical)
    assert messages_of(exc) == "Le sujet a déjà été approuvé."
    assert snapshot(memoire) == before


def test_proposing_again_after_approval_is_refused(enrolment, pedagogical):
    memoire = memoire_at(enrolment, S.IN_PROGRESS, team=pedagogical)
    before = snapshot(memoire)
    with pytest.raises(ValidationError) as exc:
        services.memoire_subject_propose(enrolment=enrolment, by=enrolment.user, **SUBJECT)
    assert messages_of(exc) == "Le sujet a déjà été approuvé."
    assert snapshot(memoire) == before


@pytest.mark.parametrize("state", [S.NOT_STARTED, S.SUBJECT_PROPOSED, S.SUBJECT_RETURNED])
def test_final_version_before_the_subject_is_approved_is_refused_before_any_file_check(
    enrolment, pedagogical, state
):
    """« Déposez la version finale une fois le sujet approuvé. », even with an executable: the
    order is checked first, nothing is stored."""
    memoire = memoire_at(enrolment, state, team=pedagogical)
    before = snapshot(memoire)
    with pytest.raises(ValidationError) as exc:
        services.memoire_final_submit(
            memoire=memoire, file=SimpleUploadedFile("m.pdf", samples.EXE), by=enrolment.user
        )
    assert messages_of(exc) == "Déposez la version finale une fois le sujet approuvé."
    assert snapshot(memoire) == before


def test_return_needs_a_comment(enrolment, pedagogical):
    memoire = memoire_at(enrolment, S.SUBJECT_PROPOSED, team=pedagogical)
    before = snapshot(memoire)
    with pytest.raises(ValidationError) as exc:
        services.memoire_subject_return(memoire=memoire, by=pedagogical, comment="   ")
    assert messages_of(exc) == "Dites à l'apprenant·e ce qu'il faut reprendre dans son sujet."
    assert snapshot(memoire) == before


def test_an_incomplete_subject_is_refused_by_field(enrolment):
    with pytest.raises(ValidationError) as exc:
        services.memoire_subject_propose(
            enrolment=enrolment, by=enrolment.user, title=" ", kind="autre", summary="", cls_name=""
        )
    assert exc.value.message_dict == {
        "title": ["Indiquez le titre de votre mémoire."],
        "kind": ["Choisissez le type de mémoire."],
        "summary": ["Résumez votre sujet en quelques lignes."],
        "cls_name": ["Indiquez le contrat local de santé (CLS) concerné."],
    }
    assert not MemoireEvent.objects.exists()
    assert not Memoire.objects.filter(enrolment=enrolment).exists()


def test_only_the_team_decides_and_only_the_learner_proposes(enrolment, pedagogical, trainer, ars_staff):
    memoire = memoire_at(enrolment, S.SUBJECT_PROPOSED, team=pedagogical)
    before = snapshot(memoire)
    for person in (enrolment.user, trainer, ars_staff):
        with pytest.raises(PermissionDenied):
            services.memoire_subject_approve(memoire=memoire, by=person)
    other = EnrolmentFactory(cohort=enrolment.cohort).user
    with pytest.raises(PermissionDenied):
        services.memoire_subject_propose(enrolment=enrolment, by=other, **SUBJECT)
    assert snapshot(memoire) == before


def test_the_tutor_must_be_a_trainer(enrolment, pedagogical):
    memoire = memoire_at(enrolment, S.SUBJECT_APPROVED, team=pedagogical)
    before = snapshot(memoire)
    with pytest.raises(ValidationError) as exc:
        services.memoire_tutor_assign(memoire=memoire, tutor=enrolment.user, by=pedagogical)
    assert messages_of(exc) == "Choisissez un·e formateur·rice comme tuteur·rice."
    assert snapshot(memoire) == before


def test_the_team_can_change_the_tutor_while_in_progress(enrolment, pedagogical, trainer):
    memoire = memoire_at(enrolment, S.IN_PROGRESS, team=pedagogical)
    memoire = services.memoire_tutor_assign(memoire=memoire, tutor=trainer, by=pedagogical)
    assert (memoire.state, memoire.tutor) == (S.IN_PROGRESS, trainer)


def test_drafts_are_versions_never_overwritten(enrolment, pedagogical):
    memoire = memoire_at(enrolment, S.IN_PROGRESS, team=pedagogical, drafts=2)
    draft = services.memoire_draft_upload(
        memoire=memoire, file=SimpleUploadedFile("v3.docx", samples.docx_bytes()), by=enrolment.user
    )
    assert draft.version == 3
    assert list(memoire.drafts.values_list("version", flat=True)) == [3, 2, 1]


def test_a_draft_before_a_tutor_is_refused(enrolment, pedagogical):
    memoire = memoire_at(enrolment, S.SUBJECT_APPROVED, team=pedagogical)
    before = snapshot(memoire)
    with pytest.raises(ValidationError) as exc:
        services.memoire_draft_upload(memoire=memoire, file=pdf_upload(2), by=enrolment.user)
    assert messages_of(exc) == flows.WAITING_TUTOR
    assert snapshot(memoire) == before


def test_a_trainer_who_is_not_the_tutor_cannot_comment(enrolment, pedagogical, trainer):
    memoire = memoire_at(enrolment, S.IN_PROGRESS, team=pedagogical, tutor=trainer, drafts=1)
    draft = memoire.drafts.get()
    before = snapshot(memoire)
    for person in (TrainerFactory(), pedagogical, enrolment.user):
        with pytest.raises(PermissionDenied) as exc:
            services.draft_comment_add(draft=draft, body="Un avis", by=person)
        assert str(exc.value) == "Seul·e le tuteur ou la tutrice de ce mémoire commente ses brouillons."
    assert snapshot(memoire) == before


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        (9, "Votre mémoire compte 9 pages : il en faut entre 10 et 20 (annexes à part)."),
        (21, "Votre mémoire compte 21 pages : il en faut entre 10 et 20 (annexes à part)."),
        (1, "Votre mémoire compte 1 page : il en faut entre 10 et 20 (annexes à part)."),
    ],
)
def test_a_final_version_outside_the_bounds_is_refused_with_its_count(
    enrolment, pedagogical, pages, expected
):
    memoire = memoire_at(enrolment, S.IN_PROGRESS, team=pedagogical)
    before = snapshot(memoire)
    with pytest.raises(ValidationError) as exc:
        services.memoire_final_submit(memoire=memoire, file=pdf_upload(pages), by=enrolment.user)
    assert exc.value.message_dict == {"file": [expected]}
    assert snapshot(memoire) == before


@pytest.mark.parametrize("pages", [10, 20])
def test_the_bounds_are_inclusive(enrolment, pedagogical, pages):
    memoire = memoire_at(enrolment, S.IN_PROGRESS, team=pedagogical)
    assert (
        services.memoire_final_submit(memoire=memoire, file=pdf_upload(pages), by=enrolment.user).pages
        == pages
    )


def test_the_bounds_come_from_the_programme(programme, region, pedagogical):
    """A programme set to 5–8 pages accepts 6 and refuses 9, with its own bounds in the message."""
    programme.memoire_min_pages, programme.memoire_max_pages = 5, 8
    programme.save(update_fields=["memoire_min_pages", "memoire_max_pages"])
    enrolment = EnrolmentFactory(cohort=CohortFactory(programme=programme, region=region))
    memoire = memoire_at(enrolment, S.IN_PROGRESS, team=pedagogical)
    with pytest.raises(ValidationError) as exc:
        services.memoire_final_submit(memoire=memoire, file=pdf_upload(9), by=enrolment.user)
    assert messages_of(exc) == "Votre mémoire compte 9 pages : il en faut entre 5 et 8 (annexes à part)."
    assert services.memoire_final_submit(memoire=memoire, file=pdf_upload(6), by=enrolment.user).pages == 6


def test_a_page_listed_fifteen_times_is_one_page(enrolment, pedagogical):
    """Distinct pages are counted: one page referenced 15 times in the page tree is refused as a
    one-page mémoire."""
    memoire = memoire_at(enrolment, S.IN_PROGRESS, team=pedagogical)
    file = SimpleUploadedFile("m.pdf", samples.repeated_page_pdf_bytes(15))
    with pytest.raises(ValidationError) as exc:
        services.memoire_final_submit(memoire=memoire, file=file, by=enrolment.user)
    assert messages_of(exc) == "Votre mémoire compte 1 page : il en faut entre 10 et 20 (annexes à part)."


def test_annexes_are_not_counted(enrolment, pedagogical):
    memoire = memoire_at(enrolment, S.IN_PROGRESS, team=pedagogical)
    final = services.memoire_final_submit(
        memoire=memoire, file=pdf_upload(12), annexes=pdf_upload(30, "annexes.pdf"), by=enrolment.user
    )
    assert (final.pages, final.annexes_name) == (12, "annexes.pdf")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("m.pdf", samples.encrypted_pdf_bytes(), "ce PDF est protégé par un mot de passe"),
        ("m.pdf", samples.corrupt_pdf_bytes(), "ce PDF est endommagé ou illisible"),
        ("m.pdf", samples.javascript_pdf_bytes(), "ce PDF contient du contenu actif (JavaScript"),
        ("m.pdf", samples.EXE, "malgré son extension .pdf, c'est un programme exécutable"),
        ("m.docx", samples.docx_bytes(), "c'est un document Word (DOCX), or la version finale doit être"),
    ],
    ids=["encrypted", "corrupt", "javascript", "exe-renamed-pdf", "docx"],
)
def test_hostile_or_wrong_final_files_are_refused(enrolment, pedagogical, name, content, expected):
    memoire = memoire_at(enrolment, S.IN_PROGRESS, team=pedagogical)
    before = snapshot(memoire)
    with pytest.raises(ValidationError) as exc:
        services.memoire_final_submit(
            memoire=memoire, file=SimpleUploadedFile(name, content), by=enrolment.user
        )
    assert exc.value.message_dict["file"][0].startswith(f"« {name} » : {expected}")
    assert snapshot(memoire) == before


def test_a_final_version_over_the_size_limit_is_refused(enrolment, pedagogical):
    memoire = memoire_at(enrolment, S.IN_PROGRESS, team=pedagogical)
    before = snapshot(memoire)
    big = SimpleUploadedFile("m.pdf", b"%PDF-1.4\n" + b"0" * (services.FINAL_POLICY.max_bytes + 1))
    with pytest.raises(ValidationError) as exc:
        services.memoire_final_submit(memoire=memoire, file=big, by=enrolment.user)
    assert "la limite est de 20 Mo" in messages_of(exc)
    assert snapshot(memoire) == before


def test_a_second_final_version_is_refused(enrolment, pedagogical):
    memoire = memoire_at(enrolment, S.FINAL_SUBMITTED, team=pedagogical)
    before = snapshot(memoire)
    with pytest.raises(ValidationError) as exc:
        services.memoire_final_submit(memoire=memoire, file=pdf_upload(12), by=enrolment.user)
    assert messages_of(exc) == flows.FINAL_ALREADY
    assert snapshot(memoire) == before


def test_events_are_append_only(enrolment, pedagogical):
    memoire = memoire_at(enrolment, S.SUBJECT_APPROVED, team=pedagogical)
    event = memoire.events.first()
    event.comment = "réécrit"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        MemoireEvent.objects.filter(memoire=memoire).update(comment="x")
    with pytest.raises(AppendOnlyError):
        MemoireEvent.objects.filter(memoire=memoire).delete()


def test_state_selectors(cohort, pedagogical, django_assert_num_queries):
    """One enrolment's state, and a whole cohort's in one query, « not started » included."""
    first, second, third = (EnrolmentFactory(cohort=cohort) for _ in range(3))
    memoire_at(first, S.IN_PROGRESS, team=pedagogical)
    memoire_at(second, S.SUBJECT_PROPOSED, team=pedagogical)
    with django_assert_num_queries(1):
        assert selectors.memoire_state_for(enrolment=first) == S.IN_PROGRESS
    with django_assert_num_queries(1):
        assert selectors.memoire_state_for(enrolment=third) == S.NOT_STARTED
    with django_assert_num_queries(1):
        states = selectors.memoire_states_for_cohort(cohort=cohort)
    assert states == {first.pk: S.IN_PROGRESS, second.pk: S.SUBJECT_PROPOSED, third.pk: S.NOT_STARTED}


def test_the_programme_refuses_page_bounds_in_the_wrong_order(programme):
    """The page bounds set in Wagtail must read minimum ≤ maximum."""
    programme.memoire_min_pages, programme.memoire_max_pages = 21, 20
    with pytest.raises(ValidationError) as exc:
        programme.clean()
    assert exc.value.message_dict == {
        "memoire_max_pages": ["Le nombre de pages maximum doit être supérieur ou égal au minimum."]
    }


def test_postgresql_refuses_raw_updates_and_deletes_of_events(enrolment, pedagogical):
    """On PostgreSQL, raw SQL can neither change nor delete a mémoire event (as the audit log)."""
    import os

    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        message = "the database-level guard of the mémoire's history is PostgreSQL's"
        if os.environ.get("CI_REQUIRE_SERVICES"):
            pytest.fail(f"{message}: required in CI (CI_REQUIRE_SERVICES is set)", pytrace=False)
        pytest.skip(message)
    memoire = memoire_at(enrolment, S.SUBJECT_PROPOSED, team=pedagogical)
    event = memoire.events.get()
    for sql in (
        "UPDATE assessments_memoireevent SET comment = 'x' WHERE id = %s",
        "DELETE FROM assessments_memoireevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="ajout seul"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(sql, [event.pk])
    assert MemoireEvent.objects.filter(pk=event.pk, comment="").exists()
