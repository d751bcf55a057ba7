"""Writes of the mémoire: every change of state goes through flows.memoire_transition (which locks
the row, checks who, the order and the guard, and logs the event); the files go through the upload
gate first, outside any lock, and no file outlives a row that was not written."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from assessments.memoire import permissions, signals
from assessments.memoire.flows import memoire_transition, transition_refusal
from assessments.memoire.models import DraftComment, Memoire, MemoireDraft, MemoireFinal
from courses.cohorts.models import Enrolment
from lms.permissions import is_learner
from lms.uploads import CheckedUpload, Kind, UploadPolicy, upload_check, upload_store

MAX_NOTE_CHARS = 2000
#: The page ceiling the gate applies to a final version; the programme's bounds (at most 300, see
#: ProgrammePage.memoire_max_pages) are then checked by the transition, with the count shown.
FINAL_PAGES_CEILING = 300

DRAFT_POLICY = UploadPolicy(
    label="le brouillon",
    kinds=frozenset({Kind.PDF, Kind.DOCX, Kind.ODT}),
    max_bytes=10 * 1024 * 1024,
    max_pdf_pages=FINAL_PAGES_CEILING,
)
FINAL_POLICY = UploadPolicy(
    label="la version finale",
    kinds=frozenset({Kind.PDF}),
    max_bytes=20 * 1024 * 1024,
    max_pdf_pages=FINAL_PAGES_CEILING,
)
ANNEXES_POLICY = UploadPolicy(
    label="les annexes",
    kinds=frozenset({Kind.PDF, Kind.DOCX, Kind.ODT}),
    max_bytes=20 * 1024 * 1024,
    max_pdf_pages=FINAL_PAGES_CEILING,
)


def _refuse_early(memoire: Memoire, transition: str, by, *, allowed) -> None:
    """Refuse out of order or by the wrong person before any file is checked (the transition
    checks again under the lock)."""
    if not allowed(by, memoire):
        raise PermissionDenied("Vous ne pouvez pas déposer de fichier pour ce mémoire.")
    if refusal := transition_refusal(memoire, transition):
        raise ValidationError(refusal)


def _stored(storage, folder: str, checked: CheckedUpload | None) -> str:
    return upload_store(storage=storage, folder=folder, checked=checked) if checked else ""


@transaction.atomic
def memoire_subject_propose(
    *, enrolment: Enrolment, title: str, kind: str, summary: str, cls_name: str, by
) -> Memoire:
    """The learner proposes their subject (first time, or again after a return); it then waits for
    the pedagogical team's decision."""
    if not is_learner(by) or enrolment.user_id != by.pk:
        raise PermissionDenied("Seul·e l'apprenant·e propose le sujet de son mémoire.")
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    memoire, _ = Memoire.objects.get_or_create(enrolment=enrolment)
    return memoire_transition(
        memoire=memoire,
        transition="propose",
        by=by,
        title=title,
        kind=kind,
        summary=summary,
        cls_name=cls_name,
    )


def memoire_subject_approve(*, memoire: Memoire, by, comment: str = "") -> Memoire:
    """The team approves the subject; approving it twice is refused."""
    return memoire_transition(memoire=memoire, transition="approve", by=by, comment=comment)


def memoire_subject_return(*, memoire: Memoire, by, comment: str) -> Memoire:
    """The team returns the subject with what to rework; the learner proposes it again."""
    return memoire_transition(memoire=memoire, transition="return_subject", by=by, comment=comment)


def memoire_tutor_assign(
    *, memoire: Memoire, tutor, by, comment: str = "", first_only: bool = False
) -> Memoire:
    """The team assigns (or changes) the tutor, a trainer; the mémoire is then in progress. With
    `first_only` (the bulk screen), a mémoire that got a tutor meanwhile is refused, not changed."""
    return memoire_transition(
        memoire=memoire, transition="assign_tutor", by=by, comment=comment, tutor=tutor, first_only=first_only
    )


def draft_check(file, *, user) -> CheckedUpload:
    return upload_check(name=file.name, data=file, policy=DRAFT_POLICY, user=user)


def memoire_draft_upload(*, memoire: Memoire, file, note: str = "", by) -> MemoireDraft:
    """The learner uploads a draft: a new version, nothing overwritten."""
    _refuse_early(memoire, "upload_draft", by, allowed=permissions.can_write_memoire)
    note = (note or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise ValidationError({"note": f"La note compte au plus {MAX_NOTE_CHARS} caractères."})
    try:
        checked = draft_check(file, user=by)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    storage = MemoireDraft._meta.get_field("file").storage
    stored = _stored(storage, "memoires/brouillons", checked)
    try:
        return _draft_record(memoire=memoire, checked=checked, stored=stored, note=note, by=by)
    except BaseException:
        storage.delete(stored)
        raise


@transaction.atomic
def _draft_record(*, memoire: Memoire, checked: CheckedUpload, stored: str, note: str, by) -> MemoireDraft:
    current = memoire_transition(
        memoire=memoire, transition="upload_draft", by=by, comment=note, draft=checked
    )
    version = (current.drafts.aggregate(last=Max("version"))["last"] or 0) + 1
    return MemoireDraft.objects.create(
        memoire=current,
        version=version,
        file=stored,
        file_name=checked.original_name,
        content_type=checked.content_type,
        note=note,
    )


@transaction.atomic
def draft_comment_add(*, draft: MemoireDraft, body: str, by) -> DraftComment:
    """The tutor comments one draft version."""
    memoire_transition(memoire=draft.memoire, transition="comment_draft", by=by, comment=body)
    return DraftComment.objects.create(draft=draft, author=by, body=body.strip())


def memoire_final_submit(*, memoire: Memoire, file, annexes=None, by) -> MemoireFinal:
    """The learner submits the final version: a PDF whose distinct pages are counted by the gate
    and must fall within the programme's bounds; the annexes, optional, are not counted. Refused
    before the subject is approved and once a final version exists; nothing is stored then."""
    _refuse_early(memoire, "submit_final", by, allowed=permissions.can_write_memoire)
    errors: dict[str, list[str]] = {}
    checked = checked_annexes = None
    try:
        checked = upload_check(name=file.name, data=file, policy=FINAL_POLICY, user=by)
    except ValidationError as exc:
        errors["file"] = exc.messages
    if annexes:
        try:
            checked_annexes = upload_check(name=annexes.name, data=annexes, policy=ANNEXES_POLICY, user=by)
        except ValidationError as exc:
            errors["annexes"] = exc.messages
    if errors:
        raise ValidationError(errors)
    storage = MemoireFinal._meta.get_field("file").storage
    stored = _stored(storage, "memoires/finales", checked)
    stored_annexes = _stored(storage, "memoires/annexes", checked_annexes)
    try:
        return _final_record(
            memoire=memoire,
            checked=checked,
            stored=stored,
            checked_annexes=checked_annexes,
            stored_annexes=stored_annexes,
            by=by,
        )
    except BaseException:
        for name in (stored, stored_annexes):
            if name:
                storage.delete(name)
        raise


@transaction.atomic
def _final_record(*, memoire, checked, stored, checked_annexes, stored_annexes, by) -> MemoireFinal:
    current = memoire_transition(memoire=memoire, transition="submit_final", by=by, pages=checked.pages)
    # Robust: the final version is committed; a listener's failure must not undo the learner's page.
    transaction.on_commit(lambda: signals.final_submitted.send_robust(sender=Memoire, memoire_id=current.pk))
    return MemoireFinal.objects.create(
        memoire=current,
        file=stored,
        file_name=checked.original_name,
        pages=checked.pages,
        annexes=stored_annexes,
        annexes_name=checked_annexes.original_name if checked_annexes else "",
        annexes_content_type=checked_annexes.content_type if checked_annexes else "",
    )
