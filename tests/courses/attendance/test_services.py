"""Attendance services: marking a half-day, confirmation crediting the ledger, QR / code check-in,
signatures and the PDF sheet."""

from __future__ import annotations

import datetime
import io
import struct
import time
import zlib
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from PIL import Image

from courses.attendance import selectors as attendance_selectors
from courses.attendance import services as attendance_services
from courses.attendance.models import Attendance, AttendanceStatus, Signature
from courses.attendance.services import Mark
from courses.cohorts.models import Enrolment
from courses.hours.models import HoursEntry
from courses.sessions import selectors as sessions_selectors
from courses.sessions.models import PresentialSession, TrainingProvider
from tests.factories import CohortFactory, EnrolmentFactory, TrainerFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
DAY = datetime.date(2026, 10, 5)
# 09:00–17:00 in Paris (UTC+2 in October): a morning and an afternoon of 3.5 h each.
STARTS = datetime.datetime(2026, 10, 5, 7, 0, tzinfo=UTC)
ENDS = datetime.datetime(2026, 10, 5, 15, 0, tzinfo=UTC)
BEFORE = datetime.datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
SIGN_AGAIN = "Signez à nouveau dans le cadre, avec la souris, le doigt ou un stylet."


def png_bytes(size=(60, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", size, (0, 0, 145, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A white greyscale PNG of width × height pixels, built without holding its pixels: 13,000 ×
    13,000 weighs about 190 KB and decodes to 169 Mo."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * width
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        attendance_services.PNG_MAGIC + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def png_size(content: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(content)) as image:
        return image.size


def make_provider(*, certified: bool = True, name: str = "Organisme Armor") -> TrainingProvider:
    return TrainingProvider.objects.create(
        name=name,
        siret=f"{abs(hash(name)) % 10**14:014d}",
        qualiopi_number="QUA-2024-0042" if certified else "",
        qualiopi_valid_from=datetime.date(2024, 1, 1) if certified else None,
        qualiopi_valid_until=datetime.date(2027, 12, 31) if certified else None,
    )


def make_session(*, region, module, cohorts, trainers=(), provider=None, starts=STARTS, ends=ENDS, hours="7"):
    session = PresentialSession.objects.create(
        module=module,
        provider=provider or make_provider(),
        region=region,
        title="Séminaire régional CLS",
        place="Rennes, ARS Bretagne",
        starts_at=starts,
        ends_at=ends,
        hours=Decimal(hours),
    )
    session.cohorts.set(cohorts)
    session.trainers.set(trainers)
    return session


def enrol(cohort, *, at=BEFORE, **kwargs) -> Enrolment:
    enrolment = EnrolmentFactory(cohort=cohort, **kwargs)
    Enrolment.objects.filter(pk=enrolment.pk).update(created_at=at)
    enrolment.refresh_from_db()
    return enrolment


@pytest.fixture
def world(programme, modules, region, other_region, ars_staff, other_ars_staff, pedagogical):
    """A session of Bretagne inviting one cohort (three learners enrolled before it), led by a trainer."""
    cache.clear()
    cohort = CohortFactory(programme=programme, region=region, name="Bretagne 2026")
    other_cohort = CohortFactory(programme=programme, region=other_region, name="Occitanie 2026")
    trainer = TrainerFactory()
    session = make_session(region=region, module=modules[0], cohorts=[cohort], trainers=[trainer])
    enrolments = [enrol(cohort) for _ in range(3)]
    return {
        "session": session,
        "cohort": cohort,
        "other_cohort": other_cohort,
        "enrolments": enrolments,
        "outsider": enrol(other_cohort),
        "trainer": trainer,
        "other_trainer": TrainerFactory(),
        "ars": ars_staff,
        "ars_other": other_ars_staff,
        "pedagogical": pedagogical,
    }


def mark_three(world, by=None):
    a, b, c = world["enrolments"]
    return attendance_services.attendance_mark(
        session=world["session"],
        day=DAY,
        half_day="am",
        marks=[
            Mark(a.pk, AttendanceStatus.PRESENT),
            Mark(b.pk, AttendanceStatus.PARTIAL, Decimal("1.5")),
            Mark(c.pk, AttendanceStatus.ABSENT),
        ],
        by=by or world["trainer"],
    )


# --- Marking ---------------------------------------------------------------------------------------


def test_mark_records_statuses_and_hours(world):
    """Present earns the half-day's hours, partial the hours typed, absent nothing."""
    assert mark_three(world) == 3
    hours = {a.enrolment_id: (a.status, a.hours) for a in Attendance.objects.all()}
    a, b, c = world["enrolments"]
    assert hours[a.pk] == ("present", Decimal("3.50"))
    assert hours[b.pk] == ("partial", Decimal("1.50"))
    assert hours[c.pk] == ("absent", Decimal("0.00"))
    assert not HoursEntry.objects.exists()


def test_remark_updates_in_place(world):
    """Marking again before confirmation changes the records, never duplicates them."""
    mark_three(world)
    a = world["enrolments"][0]
    attendance_services.attendance_mark(
        session=world["session"], day=DAY, half_day="am", marks=[Mark(a.pk, "excused")], by=world["ars"]
    )
    assert Attendance.objects.count() == 3
    assert Attendance.objects.get(enrolment=a).status == "excused"


@pytest.mark.parametrize(
    ("status", "hours", "message"),
    [
        ("partial", Decimal("0"), "supérieur à zéro"),
        ("partial", Decimal("-1"), "supérieur à zéro"),
        ("partial", None, "supérieur à zéro"),
        ("partial", Decimal("9"), "plus que la demi-journée"),
        ("partial", Decimal("3.5"), "choisissez « Présent·e »"),
        ("late", None, "Statut inconnu"),
    ],
)
def test_bad_partial_hours_are_refused(world, status, hours, message):
    """Zero, negative, missing or absurd partial hours: a clear message and nothing written."""
    a, b, _ = world["enrolments"]
    with pytest.raises(ValidationError) as exc:
        attendance_services.attendance_mark(
            session=world["session"],
            day=DAY,
            half_day="am",
            marks=[Mark(a.pk, "present"), Mark(b.pk, status, hours)],
            by=world["trainer"],
        )
    assert message in " ".join(exc.value.messages)
    assert not Attendance.objects.exists()


def test_learner_not_invited_is_refused(world):
    """A crafted mark for a learner of a cohort not invited is refused, nothing written."""
    with pytest.raises(ValidationError) as exc:
        attendance_services.attendance_mark(
            session=world["session"],
            day=DAY,
            half_day="am",
            marks=[Mark(world["enrolments"][0].pk, "present"), Mark(world["outsider"].pk, "present")],
            by=world["trainer"],
        )
    assert "ne figure pas sur la feuille" in exc.value.messages[0]
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(("day", "half_day"), [(DAY + datetime.timedelta(days=1), "am"), (DAY, "xx")])
def test_half_day_not_covered_is_refused(world, day, half_day):
    """A day or half-day the session does not cover is refused, nothing written."""
    with pytest.raises(ValidationError) as exc:
        attendance_services.attendance_mark(
            session=world["session"],
            day=day,
            half_day=half_day,
            marks=[Mark(world["enrolments"][0].pk, "present")],
            by=world["trainer"],
        )
    assert "n'a pas lieu" in exc.value.messages[0]
    assert not Attendance.objects.exists()


def test_only_attendance_takers_mark(world):
    """Another trainer and a learner may not take attendance."""
    for user in (world["other_trainer"], world["enrolments"][0].user, world["ars_other"]):
        with pytest.raises(PermissionDenied):
            mark_three(world, by=user)
    assert not Attendance.objects.exists()


def test_enrolled_after_the_half_day_is_never_listed_nor_absent(world):
    """A learner enrolled during the lunch break is not on the morning sheet, is refused there, is
    not counted absent at confirmation, but is on the afternoon sheet."""
    late = enrol(world["cohort"], at=datetime.datetime(2026, 10, 5, 11, 30, tzinfo=UTC))  # 13:30 Paris
    session = world["session"]
    morning = attendance_selectors.attendance_sheet(session=session, day=DAY, half_day="am")
    assert late.pk not in [r.enrolment.pk for r in morning.rows]
    assert late.pk in [
        r.enrolment.pk
        for r in attendance_selectors.attendance_sheet(session=session, day=DAY, half_day="pm").rows
    ]
    with pytest.raises(ValidationError):
        attendance_services.attendance_mark(
            session=session, day=DAY, half_day="am", marks=[Mark(late.pk, "present")], by=world["trainer"]
        )
    mark_three(world)
    attendance_services.attendance_confirm(session=session, day=DAY, half_day="am", by=world["ars"])
    assert not Attendance.objects.filter(enrolment=late).exists()


# --- Confirmation ----------------------------------------------------------------------------------


def test_confirm_credits_the_ledger_once(world):
    """Confirmation credits present and partial hours once; confirming again is refused."""
    mark_three(world)
    entries = attendance_services.attendance_confirm(
        session=world["session"], day=DAY, half_day="am", by=world["ars"]
    )
    assert sorted(e.hours for e in entries) == [Decimal("1.50"), Decimal("3.50")]
    assert all(e.counts_toward_target for e in entries)
    assert not Attendance.objects.filter(confirmed_at__isnull=True).exists()
    with pytest.raises(ValidationError) as exc:
        attendance_services.attendance_confirm(
            session=world["session"], day=DAY, half_day="am", by=world["ars"]
        )
    assert "déjà confirmée" in exc.value.messages[0]
    assert HoursEntry.objects.count() == 2


def test_remark_after_confirmation_is_refused(world):
    """Once confirmed, the half-day's sheet cannot be changed."""
    mark_three(world)
    attendance_services.attendance_confirm(
        session=world["session"], day=DAY, half_day="am", by=world["pedagogical"]
    )
    with pytest.raises(ValidationError) as exc:
        mark_three(world)
    assert "déjà confirmée" in exc.value.messages[0]
    assert Attendance.objects.get(enrolment=world["enrolments"][1]).status == "partial"


def test_confirm_records_unmarked_learners_absent(world):
    """A listed learner left without a status is recorded absent at confirmation."""
    a, b, c = world["enrolments"]
    attendance_services.attendance_mark(
        session=world["session"], day=DAY, half_day="am", marks=[Mark(a.pk, "present")], by=world["trainer"]
    )
    attendance_services.attendance_confirm(session=world["session"], day=DAY, half_day="am", by=world["ars"])
    assert Attendance.objects.get(enrolment=c).status == "absent"
    assert HoursEntry.objects.count() == 1


def test_confirm_without_any_mark_is_refused(world):
    """Confirming a half-day nobody called is refused, nothing written."""
    with pytest.raises(ValidationError) as exc:
        attendance_services.attendance_confirm(
            session=world["session"], day=DAY, half_day="am", by=world["ars"]
        )
    assert "faites l'appel" in exc.value.messages[0]
    assert not Attendance.objects.exists()


def test_trainer_cannot_confirm(world):
    """The session's trainer marks but does not confirm."""
    mark_three(world)
    with pytest.raises(PermissionDenied):
        attendance_services.attendance_confirm(
            session=world["session"], day=DAY, half_day="am", by=world["trainer"]
        )
    assert not HoursEntry.objects.exists()


def test_non_qualiopi_provider_hours_do_not_count(world, region, modules):
    """Hours of a provider without a valid Qualiopi certificate are stored, flagged as not counting."""
    session = make_session(
        region=region,
        module=modules[1],
        cohorts=[world["cohort"]],
        provider=make_provider(certified=False, name="Organisme sans certificat"),
    )
    a = world["enrolments"][0]
    attendance_services.attendance_mark(
        session=session, day=DAY, half_day="pm", marks=[Mark(a.pk, "present")], by=world["ars"]
    )
    (entry,) = attendance_services.attendance_confirm(
        session=session, day=DAY, half_day="pm", by=world["ars"]
    )
    entry.refresh_from_db()
    assert entry.counts_toward_target is False
    assert "Qualiopi" in entry.not_counted_reason
    assert entry.hours == Decimal("3.50")


# --- Check-in ---------------------------------------------------------------------------------------


@pytest.fixture
def live_session(world, region, modules):
    """A session running now (started an hour ago, ends in two hours)."""
    now = timezone.now().replace(microsecond=0)
    return make_session(
        region=region,
        module=modules[2],
        cohorts=[world["cohort"]],
        trainers=[world["trainer"]],
        provider=world["session"].provider,
        starts=now - datetime.timedelta(hours=1),
        ends=now + datetime.timedelta(hours=2),
        hours="3",
    )


def test_token_accepts_current_and_previous_minute_only(live_session):
    """The token of this minute and of the previous one pass; older ones and junk do not."""
    now = timezone.now()
    window = attendance_selectors.checkin_window(now)
    assert attendance_selectors.checkin_token_valid(
        live_session, attendance_selectors.checkin_token(live_session, window), now
    )
    assert attendance_selectors.checkin_token_valid(
        live_session, attendance_selectors.checkin_token(live_session, window - 1), now
    )
    assert not attendance_selectors.checkin_token_valid(
        live_session, attendance_selectors.checkin_token(live_session, window - 2), now
    )
    assert not attendance_selectors.checkin_token_valid(live_session, "0" * 16, now)
    assert len(attendance_selectors.checkin_code(live_session, window)) == 6


def test_checkin_records_present_unconfirmed_and_refuses_replay(world, live_session):
    """A check-in records the half-day as present (QR, not confirmed); a replay is refused."""
    learner = world["enrolments"][0].user
    now = timezone.now()
    record = attendance_services.attendance_checkin(session=live_session, user=learner, now=now)
    assert (record.source, record.status, record.confirmed_at) == ("qr", "present", None)
    assert record.hours == sessions_selectors.half_day_hours(live_session)
    with pytest.raises(ValidationError) as exc:
        attendance_services.attendance_checkin(session=live_session, user=learner, now=now)
    assert "Vous êtes déjà enregistré·e" in exc.value.messages[0]
    assert Attendance.objects.count() == 1


def test_checkin_outside_window_and_not_invited(world, live_session):
    """Outside the session window the check-in is refused; a learner not invited gets PermissionDenied."""
    learner = world["enrolments"][0].user
    with pytest.raises(ValidationError) as exc:
        attendance_services.attendance_checkin(
            session=live_session, user=learner, now=live_session.ends_at + datetime.timedelta(minutes=1)
        )
    assert "L'émargement n'est ouvert que pendant la session" in exc.value.messages[0]
    early = live_session.starts_at - datetime.timedelta(minutes=29)
    assert attendance_selectors.current_half_day(live_session, early) is not None
    assert attendance_selectors.current_half_day(live_session, early - datetime.timedelta(minutes=2)) is None
    with pytest.raises(PermissionDenied):
        attendance_services.attendance_checkin(
            session=live_session, user=world["outsider"].user, now=timezone.now()
        )
    assert not Attendance.objects.exists()


def test_wrong_codes_are_rate_limited(world, live_session):
    """After 5 wrong codes in 10 minutes even the right code is refused, with a clear message."""
    learner = world["enrolments"][0].user
    now = timezone.now()
    right = attendance_selectors.checkin_code(live_session, attendance_selectors.checkin_window(now))
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    for _ in range(5):
        with pytest.raises(ValidationError) as exc:
            attendance_services.attendance_code_checkin(
                session=live_session, user=learner, code=wrong, now=now
            )
        assert "n'est pas valable" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        attendance_services.attendance_code_checkin(session=live_session, user=learner, code=right, now=now)
    assert "Trop de codes erronés" in exc.value.messages[0]
    assert not Attendance.objects.exists()
    cache.clear()
    record = attendance_services.attendance_code_checkin(
        session=live_session, user=learner, code=right, now=now
    )
    assert record.source == "code"


# --- Signatures -------------------------------------------------------------------------------------


def test_learner_and_trainer_sign_once(world):
    """A present learner's signature is tied to their attendance; the trainer signs too; never twice."""
    mark_three(world)
    a = world["enrolments"][0]
    signature = attendance_services.signature_save(
        session=world["session"], day=DAY, half_day="am", signer=a.user, image_png=png_bytes()
    )
    assert signature.attendance.enrolment == a
    trainer_signature = attendance_services.signature_save(
        session=world["session"], day=DAY, half_day="am", signer=world["trainer"], image_png=png_bytes()
    )
    assert trainer_signature.attendance is None
    with pytest.raises(ValidationError) as exc:
        attendance_services.signature_save(
            session=world["session"], day=DAY, half_day="am", signer=a.user, image_png=png_bytes()
        )
    assert "déjà signé" in exc.value.messages[0]
    assert Signature.objects.count() == 2


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (b"", "Signez dans le cadre"),
        (b"GIF89a" + b"0" * 100, "c'est une image GIF, or la signature doit être un fichier PNG"),
        (
            attendance_services.PNG_MAGIC + b"0" * (250 * 1024),
            "le fichier pèse 250,0 Ko : la limite est de 200 Ko.",
        ),
        (
            attendance_services.PNG_MAGIC + b"0" * (200 * 1024 - 7),
            "le fichier pèse 200,1 Ko : la limite est de 200 Ko.",
        ),
        (attendance_services.PNG_MAGIC + b"garbage", "cette image est endommagée ou illisible"),
    ],
)
def test_bad_signature_image_is_refused(world, image, message):
    """Empty, not a PNG, over 200 KB (one byte over reads above the limit) or a broken PNG: a clear
    message and no signature."""
    mark_three(world)
    with pytest.raises(ValidationError) as exc:
        attendance_services.signature_save(
            session=world["session"], day=DAY, half_day="am", signer=world["trainer"], image_png=image
        )
    assert message in exc.value.messages[0]
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    ("size", "message"),
    [
        # Above Pillow's own ceiling: refused from the header, whatever the policy.
        (
            (13_000, 13_000),
            "« signature.png » : cette image est trop grande : 360\u00a0000 pixels au plus. " + SIGN_AGAIN,
        ),
        # Under Pillow's ceiling, above the signature policy's: refused before decoding too.
        (
            (2_000, 2_000),
            "« signature.png » : cette image est trop grande (2\u00a0000 × 2\u00a0000 pixels) : "
            "360\u00a0000 pixels au plus. " + SIGN_AGAIN,
        ),
    ],
)
def test_signature_decompression_bomb_is_refused(world, size, message):
    """A PNG of a few KB inflating to millions of pixels (the 190 KB 13,000 × 13,000 one of the
    issue) is refused before decoding with a French message giving the limit in pixels (not « 0
    millions ») and the pad's advice (not « réduisez-la »); nothing is stored."""
    mark_three(world)
    bomb = png_bomb(*size)
    assert len(bomb) < attendance_services.SIGNATURE_MAX_BYTES
    with pytest.raises(ValidationError) as exc:
        attendance_services.signature_save(
            session=world["session"], day=DAY, half_day="am", signer=world["trainer"], image_png=bomb
        )
    assert exc.value.messages[0] == message
    assert not Signature.objects.exists()


def test_signature_is_stored_at_the_pad_size(world):
    """A signature drawn on the pad is stored at the pad's size; a larger one is reduced to it."""
    mark_three(world)
    drawn = attendance_services.signature_save(
        session=world["session"],
        day=DAY,
        half_day="am",
        signer=world["trainer"],
        image_png=png_bytes(attendance_services.SIGNATURE_CANVAS),
    )
    assert png_size(bytes(drawn.image_png)) == attendance_services.SIGNATURE_CANVAS
    larger = attendance_services.signature_save(
        session=world["session"],
        day=DAY,
        half_day="am",
        signer=world["enrolments"][0].user,
        image_png=png_bytes((1000, 360)),
    )
    assert png_size(bytes(larger.image_png)) == attendance_services.SIGNATURE_CANVAS


def test_signature_is_stored_without_what_follows_the_image(world):
    """A PNG with HTML appended is stored re-encoded: the HTML is not kept."""
    mark_three(world)
    image = (
        png_bytes(attendance_services.SIGNATURE_CANVAS)
        + b"<html><script>alert(document.cookie)</script></html>"
    )
    signature = attendance_services.signature_save(
        session=world["session"], day=DAY, half_day="am", signer=world["trainer"], image_png=image
    )
    stored = bytes(signature.image_png)
    assert stored.startswith(attendance_services.PNG_MAGIC)
    assert b"<script" not in stored and b"<html" not in stored
    assert png_size(stored) == attendance_services.SIGNATURE_CANVAS


def test_absent_learner_and_other_trainer_cannot_sign(world):
    """A learner not recorded present, and a trainer not leading the session, cannot sign."""
    mark_three(world)
    absent = world["enrolments"][2].user
    with pytest.raises(ValidationError) as exc:
        attendance_services.signature_save(
            session=world["session"], day=DAY, half_day="am", signer=absent, image_png=png_bytes()
        )
    assert "émargez d'abord" in exc.value.messages[0]
    with pytest.raises(PermissionDenied):
        attendance_services.signature_save(
            session=world["session"],
            day=DAY,
            half_day="am",
            signer=world["other_trainer"],
            image_png=png_bytes(),
        )
    assert not Signature.objects.exists()


# --- PDF --------------------------------------------------------------------------------------------


def test_pdf_lists_session_learners_statuses_and_signatures(world):
    """The PDF names the session, module, provider with its Qualiopi number, place, half-day, each
    listed learner with status and hours, the trainer, and embeds drawn signatures."""
    from pypdf import PdfReader

    from courses.attendance.pdf import attendance_sheet_pdf

    mark_three(world)
    a = world["enrolments"][0]
    attendance_services.signature_save(
        session=world["session"], day=DAY, half_day="am", signer=a.user, image_png=png_bytes()
    )
    sheet = attendance_selectors.attendance_sheet(session=world["session"], day=DAY, half_day="am")
    data = attendance_sheet_pdf(sheet=sheet)
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Séminaire régional CLS",
        world["session"].module.title,
        "QUA-2024-0042",
        "Rennes, ARS Bretagne",
        "05/10/2026, matin",
        "09:00",
        a.user.last_name,
        "Présence partielle",
        "1,5 h",
        "Absent·e",
        world["trainer"].last_name,
    ):
        assert expected in text, expected
    assert world["outsider"].user.last_name not in text
    images = sum(len(page.images) for page in reader.pages)
    assert images == 1


def test_pdf_with_old_oversized_signatures_renders_quickly(world):
    """Signatures stored before the upload gate (6,000 × 6,000 and 13,000 × 13,000 pixels) are not
    decoded: the sheet renders within a bounded time and says they are not reproduced."""
    from pypdf import PdfReader

    from courses.attendance.pdf import SIGNATURE_NOT_DRAWN, attendance_sheet_pdf

    mark_three(world)
    a, b, _ = world["enrolments"]
    presences = {p.enrolment_id: p for p in Attendance.objects.filter(enrolment__in=[a, b])}
    now = timezone.now()
    large = png_bomb(6_000, 6_000)
    for enrolment in (a, b):
        Signature.objects.create(
            attendance=presences[enrolment.pk],
            session=world["session"],
            day=DAY,
            half_day="am",
            signer=enrolment.user,
            image_png=large,
            signed_at=now,
        )
    Signature.objects.create(
        session=world["session"],
        day=DAY,
        half_day="am",
        signer=world["trainer"],
        image_png=png_bomb(13_000, 13_000),
        signed_at=now,
    )
    sheet = attendance_selectors.attendance_sheet(session=world["session"], day=DAY, half_day="am")
    started = time.monotonic()
    data = attendance_sheet_pdf(sheet=sheet)
    elapsed = time.monotonic() - started
    assert elapsed < 0.5, elapsed
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert text.count(SIGNATURE_NOT_DRAWN) == 3
    assert sum(len(page.images) for page in reader.pages) == 0


# --- Guyane: the check-in window and the half-days follow Cayenne time -----------------------------


@pytest.fixture
def guyane_session(programme, modules):
    """A Guyane session from 08:00 to 17:00 Cayenne time (UTC−3) on 5 October, i.e. 11:00–20:00 UTC
    (13:00–22:00 in Paris), and one invited learner."""
    from tests.factories import RegionFactory

    guyane = RegionFactory(name="Guyane", slug="guyane", timezone="America/Cayenne")
    cohort = CohortFactory(programme=programme, region=guyane, name="Guyane 2026")
    session = make_session(
        region=guyane,
        module=modules[0],
        cohorts=[cohort],
        starts=datetime.datetime(2026, 10, 5, 11, 0, tzinfo=UTC),
        ends=datetime.datetime(2026, 10, 5, 20, 0, tzinfo=UTC),
    )
    return session, enrol(cohort)


def cayenne(hour, minute=0, day=5):
    """A wall-clock time in Cayenne on `day` October 2026, as an aware UTC datetime."""
    from zoneinfo import ZoneInfo

    return datetime.datetime(2026, 10, day, hour, minute, tzinfo=ZoneInfo("America/Cayenne")).astimezone(UTC)


@pytest.mark.parametrize(
    ("local_time", "expected"),
    [
        ((7, 25), None),  # 35 minutes before the start: not yet open
        ((7, 35), "am"),  # 25 minutes before: open, for the morning
        ((12, 50), "am"),  # 15:50 UTC, 17:50 in Paris: still the morning in Cayenne
        ((13, 5), "pm"),  # the half-day switches at 13:00 Cayenne time, not Paris time
        ((16, 59), "pm"),
        ((17, 1), None),  # after the end
    ],
)
def test_guyane_checkin_window_and_half_day_follow_cayenne_time(guyane_session, local_time, expected):
    """The QR window opens 30 minutes before 08:00 Cayenne and closes at 17:00 Cayenne; the morning
    ends at 13:00 Cayenne, whatever the time in Paris or UTC."""
    session, _ = guyane_session
    slot = attendance_selectors.current_half_day(session, cayenne(*local_time))
    assert slot == (None if expected is None else (datetime.date(2026, 10, 5), expected))


def test_guyane_checkin_at_12_50_local_is_recorded_for_the_morning(guyane_session):
    """A learner scanning at 12:50 in Cayenne (17:50 in Paris) is present for the morning of
    5 October; at 13:05 they can check in again, for the afternoon; at 17:30 they are refused
    with the window in local time."""
    session, enrolment = guyane_session
    first = attendance_services.attendance_checkin(session=session, user=enrolment.user, now=cayenne(12, 50))
    assert (first.day, first.half_day) == (datetime.date(2026, 10, 5), "am")
    second = attendance_services.attendance_checkin(session=session, user=enrolment.user, now=cayenne(13, 5))
    assert (second.day, second.half_day) == (datetime.date(2026, 10, 5), "pm")
    with pytest.raises(ValidationError) as error:
        attendance_services.attendance_checkin(session=session, user=enrolment.user, now=cayenne(17, 30))
    assert "du 05/10/2026 à 07:30 au 05/10/2026 à 17:00 (heure locale)" in error.value.messages[0]
    assert Attendance.objects.filter(session=session).count() == 2


def test_guyane_evening_session_stays_on_its_local_day(programme, modules):
    """A session from 19:00 to 22:00 in Cayenne ends after midnight UTC: a check-in at 21:30 local
    (00:30 UTC on the 6th) is for the afternoon of the 5th, the session's only half-day."""
    from tests.factories import RegionFactory

    guyane = RegionFactory(name="Guyane", slug="guyane", timezone="America/Cayenne")
    cohort = CohortFactory(programme=programme, region=guyane, name="Guyane 2026")
    session = make_session(
        region=guyane, module=modules[0], cohorts=[cohort], starts=cayenne(19), ends=cayenne(22), hours="3"
    )
    learner = enrol(cohort)
    assert sessions_selectors.session_half_days(session) == [(datetime.date(2026, 10, 5), "pm")]
    record = attendance_services.attendance_checkin(session=session, user=learner.user, now=cayenne(21, 30))
    assert (record.day, record.half_day, record.hours) == (datetime.date(2026, 10, 5), "pm", Decimal("3.00"))
