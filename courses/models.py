from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from lms.text import SingleLineCharField, SingleLineTitleMixin

from .blocks import LessonBodyBlock
from .enums import HoursSource, Modality, ModuleKind
from .forms import ModulePageForm
from .rules import option_pair_violations

HOURS_FIELD = {"max_digits": 6, "decimal_places": 2}


# --- The course, edited in Wagtail -------------------------------------------------------------


def option_pair_errors(*, programme: "ProgrammePage", modules: list["ModulePage"]) -> list[str]:
    """The admin's French messages when some choice of two optional modules among `modules` gives
    a path outside the programme's hour bounds, naming each such choice; empty when all fit."""
    modules = sorted(modules, key=lambda m: (m.number, m.title))
    violations = option_pair_violations(
        core_total=sum((m.hours_total for m in modules if not m.is_optional), Decimal(0)),
        options=[(m.title, m.hours_total) for m in modules if m.is_optional],
        minimum=programme.hours_min,
        maximum=programme.hours_max,
    )
    if not violations:
        return []
    return [
        "Ces volumes horaires sont refusés : chaque choix de deux modules "
        "d'approfondissement doit donner un parcours entre "
        f"{programme.hours_min.normalize():f} h et {programme.hours_max.normalize():f} h."
    ] + [v.message for v in violations]


class ProgrammePage(SingleLineTitleMixin, Page):
    """The diploma path: its modules are its children."""

    intro = RichTextField("présentation", blank=True)
    hours_min = models.DecimalField(
        "durée minimale du parcours (h)",
        default=Decimal(130),
        **HOURS_FIELD,
    )
    presential_cap = models.DecimalField(
        "plafond d'heures en présentiel comptées (h)",
        default=Decimal(72),
        **HOURS_FIELD,
    )
    hours_max = models.DecimalField(
        "durée maximale du parcours (h)",
        default=Decimal(152),
        **HOURS_FIELD,
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldRowPanel(
            [FieldPanel("hours_min"), FieldPanel("hours_max"), FieldPanel("presential_cap")],
            heading="Bornes horaires",
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["courses.ModulePage"]
    template = "courses/programme_page.html"

    class Meta:
        verbose_name = "programme"

    def clean(self):
        """Refuse bounds in the wrong order, or new bounds that some choice of optional modules
        would leave (the same check as ModulePage.clean, from the programme's side)."""
        super().clean()
        if self.hours_min is None or self.hours_max is None:
            return
        if self.hours_min > self.hours_max:
            raise ValidationError({"hours_max": "Le maximum doit être supérieur au minimum."})
        if self.pk is None:
            return
        stored = ProgrammePage.objects.filter(pk=self.pk).values_list("hours_min", "hours_max").first()
        if stored == (self.hours_min, self.hours_max):
            return
        errors = option_pair_errors(programme=self, modules=list(ModulePage.objects.child_of(self)))
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["modules"] = selectors.programme_modules(programme=self)
        context["bounds"] = selectors.programme_hour_summary(programme=self)
        return context


class ModulePage(SingleLineTitleMixin, Page):
    """A module, core or optional, with its three hour figures; its lessons are its children."""

    kind = models.CharField("type", max_length=16, choices=ModuleKind.choices, default=ModuleKind.CORE)
    number = models.PositiveSmallIntegerField("numéro", default=1)
    summary = models.TextField("résumé", blank=True)
    hours_elearning = models.DecimalField(
        "heures e-learning",
        default=Decimal(0),
        validators=[MinValueValidator(0)],
        **HOURS_FIELD,
    )
    hours_presential = models.DecimalField(
        "heures en présentiel",
        default=Decimal(0),
        validators=[MinValueValidator(0)],
        **HOURS_FIELD,
    )
    hours_organisation = models.DecimalField(
        "heures au sein de l'organisation",
        default=Decimal(0),
        validators=[MinValueValidator(0)],
        **HOURS_FIELD,
    )
    themes = StreamField(
        [("theme", blocks.CharBlock(label="Thème", max_length=300))],
        blank=True,
        verbose_name="thèmes",
    )
    objectives = RichTextField("objectifs", blank=True, features=["bold", "italic", "ul", "ol", "link"])
    competences = ParentalManyToManyField(
        "content.Competency",
        blank=True,
        related_name="modules",
        verbose_name="compétences visées",
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("number")]),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("hours_elearning"),
                        FieldPanel("hours_presential"),
                        FieldPanel("hours_organisation"),
                    ]
                )
            ],
            heading="Volumes horaires",
        ),
        FieldPanel("themes"),
        FieldPanel("objectives"),
        FieldPanel("competences", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("objectives"),
    ]
    base_form_class = ModulePageForm
    parent_page_types = ["courses.ProgrammePage"]
    subpage_types = ["courses.LessonPage"]
    template = "courses/module_page.html"

    class Meta:
        verbose_name = "module"

    @property
    def is_optional(self) -> bool:
        return self.kind == ModuleKind.OPTIONAL

    @property
    def hours_total(self) -> Decimal:
        return (self.hours_elearning or 0) + (self.hours_presential or 0) + (self.hours_organisation or 0)

    def hours_for(self, modality: str) -> Decimal:
        return {
            Modality.ELEARNING: self.hours_elearning,
            Modality.PRESENTIAL: self.hours_presential,
            Modality.ORGANISATION: self.hours_organisation,
        }[modality]

    def clean(self):
        """Refuse figures that let some choice of optional modules leave the programme's bounds."""
        super().clean()
        parent = self.get_parent() if self.pk else None
        if parent is None and getattr(self, "_parent_for_validation", None) is not None:
            parent = self._parent_for_validation
        if parent is None:
            return
        programme = parent.specific
        if not isinstance(programme, ProgrammePage):
            return
        errors = option_pair_errors(
            programme=programme,
            modules=[*ModulePage.objects.child_of(programme).exclude(pk=self.pk), self],
        )
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.module_page_state(module=self, user=request.user))
        return context


class LessonPage(SingleLineTitleMixin, Page):
    """A lesson: content blocks, possibly ending with a knowledge check."""

    duration_hours = models.DecimalField(
        "durée nominale (h)",
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.25"))],
        **HOURS_FIELD,
        help_text="Créditée en heures d'e-learning quand la leçon est terminée.",
    )
    introduction = models.TextField("introduction", blank=True)
    body = StreamField(LessonBodyBlock(), blank=True, verbose_name="contenu")

    content_panels = Page.content_panels + [
        FieldPanel("duration_hours"),
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []
    template = "courses/lesson_page.html"

    class Meta:
        verbose_name = "leçon"

    @property
    def knowledge_check(self):
        """The lesson's knowledge-check block value, or None."""
        for block in self.body:
            if block.block_type == "knowledge_check":
                return block.value
        return None

    def serve(self, request, *args, **kwargs):
        from django.contrib.auth.views import redirect_to_login
        from django.core.exceptions import PermissionDenied

        from lms import permissions

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.can_view_lesson(request.user, self):
            raise PermissionDenied("Cette leçon fait partie d'un programme que vous ne suivez pas.")
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.lesson_page_state(lesson=self, user=request.user))
        check = self.knowledge_check
        if check is not None and context["enrolment"] is not None:
            from assessments import services as assessment_services

            # The order of the attempt in progress: kept in the session until an attempt is sent.
            seed_key = assessment_services.SEED_SESSION_KEY.format(lesson_id=self.pk)
            seed = request.session.get(seed_key) or request.session.setdefault(
                seed_key, assessment_services.attempt_seed_new()
            )
            context["quiz_seed"] = seed
            context["quiz_layout"] = assessment_services.knowledge_check_layout(check=check, seed=seed)
            context["quiz_retry_when"] = assessment_services.knowledge_check_retry_when(
                recent_attempts=context["recent_attempts"],
                tz=assessment_services.learner_timezone(enrolment=context["enrolment"]),
            )
            last_attempt = context["last_attempt"]
            if last_attempt is not None and not last_attempt.passed:
                context["quiz_review_topics"] = assessment_services.review_topics(
                    check=check, wrong_questions=last_attempt.wrong_questions
                )
        return context


# --- Cohorts and enrolments --------------------------------------------------------------------


class Cohort(models.Model):
    programme = models.ForeignKey(
        ProgrammePage,
        on_delete=models.PROTECT,
        related_name="cohorts",
        verbose_name="programme",
    )
    region = models.ForeignKey(
        "lms.Region",
        on_delete=models.PROTECT,
        related_name="cohorts",
        verbose_name="région",
    )
    name = SingleLineCharField("nom", max_length=200)
    start_date = models.DateField("début")
    end_date = models.DateField("fin")
    capacity = models.PositiveIntegerField(
        "places",
        default=30,
        validators=[MinValueValidator(1)],
        help_text="Nombre maximal d'apprenant·es inscrit·es.",
    )
    closed_at = models.DateTimeField("clôturée le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = "promotion"
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="cohort_unique_name_per_region"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="cohort_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.region})"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "La date de fin doit suivre la date de début."})
        if self.pk is not None and self.capacity is not None:
            enrolled = self.enrolments.count()
            if self.capacity < enrolled:
                raise ValidationError(
                    {
                        "capacity": f"La promotion compte déjà {enrolled} inscrit·es : le nombre de "
                        "places ne peut pas être inférieur."
                    }
                )


class Enrolment(models.Model):
    """A learner's membership of a cohort, and so of its programme (one per programme)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name="apprenant·e",
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name="promotion",
    )
    programme = models.ForeignKey(ProgrammePage, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("inscrit·e le", auto_now_add=True)
    employer = SingleLineCharField("employeur (collectivité)", max_length=200, blank=True)
    job_title = SingleLineCharField("fonction", max_length=200, blank=True)
    ars_agreement_on = models.DateField("accord de l'ARS le", null=True, blank=True)
    employer_agreement_on = models.DateField("accord de l'employeur le", null=True, blank=True)
    agreement_document = models.FileField(
        "document d'accord",
        upload_to="agreements/%Y/",
        null=True,
        blank=True,
    )
    agreement_document_name = models.CharField("nom du document d'accord", max_length=255, blank=True)
    invited_at = models.DateTimeField("invitation envoyée le", null=True, blank=True)
    dropout_reminded_at = models.DateTimeField("relance d'inactivité envoyée le", null=True, blank=True)
    options = models.ManyToManyField(
        ModulePage,
        through="ElectiveChoice",
        related_name="+",
        verbose_name="options choisies",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "inscription"
        constraints = [
            models.UniqueConstraint(fields=["user", "programme"], name="enrolment_one_per_programme"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.cohort}"

    def save(self, *args, **kwargs):
        self.programme_id = self.cohort.programme_id
        super().save(*args, **kwargs)

    def clean(self):
        """The same rules as services.enrolment_create, for the admin form."""
        from lms.permissions import is_learner

        if self.cohort_id is None or self.user_id is None:
            return
        self.programme_id = self.cohort.programme_id
        if not is_learner(self.user):
            raise ValidationError(
                {"user": "Seul un compte apprenant·e peut être inscrit dans une promotion."}
            )
        duplicate = Enrolment.objects.filter(user_id=self.user_id, programme_id=self.programme_id)
        if duplicate.exclude(pk=self.pk).exists():
            raise ValidationError({"user": "Cette personne est déjà inscrite à ce programme."})

    @property
    def is_eligible(self) -> bool:
        """The prerequisite: the joint agreement of the ARS and of the employer is recorded."""
        return self.ars_agreement_on is not None and self.employer_agreement_on is not None


class ElectiveChoice(models.Model):
    """One of the learner's optional modules (exactly two once chosen; see services)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="elective_choices")
    module = models.ForeignKey(ModulePage, on_delete=models.PROTECT, related_name="+")
    chosen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "module"], name="elective_unique_module"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — option {self.module}"


class LessonCompletion(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="completions")
    lesson = models.ForeignKey(LessonPage, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="completion_once_per_lesson"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.lesson} terminée"


class LessonActivity(models.Model):
    """Time spent on a lesson on one day, from the page's heartbeat: proof of follow-up
    (relevé de connexions), shown but never credited as hours."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="activities")
    lesson = models.ForeignKey(LessonPage, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    seconds = models.PositiveIntegerField(default=0)
    beats = models.PositiveIntegerField(default=0)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_beat_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "temps passé sur une leçon"
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson", "day"], name="activity_one_per_day"),
        ]
        indexes = [models.Index(fields=["enrolment", "-last_beat_at"])]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.lesson} le {self.day}"


# --- The hours ledger --------------------------------------------------------------------------


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove a ledger entry."""


class HoursEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Le relevé d'heures est en ajout seul : ajoutez une correction.")

    def delete(self):
        raise AppendOnlyError("Le relevé d'heures est en ajout seul : ajoutez une correction.")


class HoursEntry(models.Model):
    """One line of the append-only hours ledger, for all three modalities. A correction is a new
    entry (source CORRECTION) pointing at the entry it adjusts, with who and why."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="hours_entries")
    modality = models.CharField("modalité", max_length=16, choices=Modality.choices)
    source = models.CharField("origine", max_length=16, choices=HoursSource.choices)
    module = models.ForeignKey(ModulePage, on_delete=models.PROTECT, related_name="+", verbose_name="module")
    hours = models.DecimalField("heures", **HOURS_FIELD)
    occurred_on = models.DateField("date")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="enregistré par",
    )
    recorded_at = models.DateTimeField("enregistré le", default=timezone.now)
    lesson = models.ForeignKey(
        LessonPage,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name="corrige",
    )
    reason = models.TextField("motif", blank=True)
    attendance = models.OneToOneField(
        "courses.Attendance",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hours_entry",
    )
    declaration = models.OneToOneField(
        "courses.OrganisationDeclaration",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hours_entry",
    )
    counts_toward_target = models.BooleanField("compte pour l'objectif", default=True)
    not_counted_reason = models.CharField("pourquoi elle ne compte pas", max_length=300, blank=True)

    objects = HoursEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-recorded_at"]
        verbose_name = "ligne du relevé d'heures"
        constraints = [
            models.CheckConstraint(condition=~Q(hours=0), name="hours_entry_not_zero"),
            models.UniqueConstraint(
                fields=["enrolment", "lesson"],
                condition=Q(source=HoursSource.LESSON),
                name="hours_entry_lesson_credited_once",
            ),
            models.CheckConstraint(
                condition=~Q(source=HoursSource.CORRECTION) | (Q(corrects__isnull=False) & ~Q(reason="")),
                name="hours_entry_correction_has_target_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(counts_toward_target=True) | ~Q(not_counted_reason=""),
                name="hours_entry_uncounted_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["enrolment", "modality"])]

    def __str__(self) -> str:
        return f"{self.hours} h {self.get_modality_display()} — {self.enrolment.user}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Le relevé d'heures est en ajout seul : ajoutez une correction.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Le relevé d'heures est en ajout seul : ajoutez une correction.")


class EnrolmentImport(models.Model):
    """A spreadsheet uploaded by staff: its parsed lines wait here between preview and confirmation."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filename = SingleLineCharField("fichier", max_length=255)
    rows = models.JSONField("lignes lues")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField("résultat", default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "import d'inscriptions"

    def __str__(self) -> str:
        return f"{self.filename} → {self.cohort}"


# --- Presential sessions and attendance ---------------------------------------------------------


class TrainingProvider(models.Model):
    """A training organisation (organisme de formation); its sessions count toward the target only
    while its Qualiopi certification is valid."""

    name = SingleLineCharField("nom", max_length=200, unique=True)
    siret = models.CharField("SIRET", max_length=14, unique=True)
    qualiopi_number = SingleLineCharField("n° de certificat Qualiopi", max_length=100, blank=True)
    qualiopi_valid_from = models.DateField("certificat valable du", null=True, blank=True)
    qualiopi_valid_until = models.DateField("certificat valable jusqu'au", null=True, blank=True)
    expiry_reminder_sent_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "organisme de formation"
        verbose_name_plural = "organismes de formation"

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from .rules import siret_is_valid

        if self.siret and not siret_is_valid(self.siret):
            raise ValidationError(
                {"siret": "Ce numéro SIRET n'est pas valide (14 chiffres, clé de contrôle)."}
            )
        if (
            self.qualiopi_valid_from
            and self.qualiopi_valid_until
            and self.qualiopi_valid_until < self.qualiopi_valid_from
        ):
            raise ValidationError({"qualiopi_valid_until": "La fin de validité doit suivre son début."})
        if (self.qualiopi_valid_from or self.qualiopi_valid_until) and not self.qualiopi_number:
            raise ValidationError({"qualiopi_number": "Indiquez le numéro du certificat Qualiopi."})

    def is_certified_on(self, day) -> bool:
        return bool(
            self.qualiopi_number
            and self.qualiopi_valid_from
            and self.qualiopi_valid_until
            and self.qualiopi_valid_from <= day <= self.qualiopi_valid_until
        )


class PresentialSession(models.Model):
    """A regional seminar: times stored in UTC, shown and reasoned about in the region's zone."""

    module = models.ForeignKey(ModulePage, on_delete=models.PROTECT, related_name="+", verbose_name="module")
    provider = models.ForeignKey(
        TrainingProvider,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name="organisme",
    )
    region = models.ForeignKey(
        "lms.Region", on_delete=models.PROTECT, related_name="sessions", verbose_name="région"
    )
    title = SingleLineCharField("intitulé", max_length=200)
    place = SingleLineCharField("lieu", max_length=300, blank=True)
    is_remote = models.BooleanField("à distance", default=False)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    hours = models.DecimalField("heures", validators=[MinValueValidator(Decimal("0.5"))], **HOURS_FIELD)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="led_sessions",
        verbose_name="formateur·rices",
    )
    cohorts = models.ManyToManyField(Cohort, related_name="sessions", verbose_name="promotions invitées")
    checkin_secret = models.CharField(max_length=64, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = "session en présentiel"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.region})"

    def save(self, *args, **kwargs):
        if not self.checkin_secret:
            import secrets

            self.checkin_secret = secrets.token_hex(32)
        super().save(*args, **kwargs)


class SessionReminder(models.Model):
    """The reminder of a session sent to one learner: a retry after a failure halfway through the
    list emails only those who have not been reminded yet."""

    session = models.ForeignKey(PresentialSession, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "rappel de session envoyé"
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="session_reminder_once_per_learner"),
        ]

    def __str__(self) -> str:
        return f"{self.session} → {self.user}"


class HalfDay(models.TextChoices):
    MORNING = "am", "Matin"
    AFTERNOON = "pm", "Après-midi"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Présent·e"
    ABSENT = "absent", "Absent·e"
    EXCUSED = "excused", "Absence excusée"
    PARTIAL = "partial", "Présence partielle"


class Attendance(models.Model):
    """One learner's attendance for one half-day of a session (émargement). Credited in the ledger
    once confirmed by staff."""

    session = models.ForeignKey(PresentialSession, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="attendances")
    day = models.DateField("jour")
    half_day = models.CharField("demi-journée", max_length=2, choices=HalfDay.choices)
    status = models.CharField("statut", max_length=16, choices=AttendanceStatus.choices)
    hours = models.DecimalField(
        "heures", default=Decimal(0), validators=[MinValueValidator(0)], **HOURS_FIELD
    )
    source = models.CharField("saisie", max_length=16, default="staff")
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["day", "half_day"]
        verbose_name = "présence"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment", "day", "half_day"],
                name="attendance_once_per_half_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.user} — {self.session} {self.day} {self.get_half_day_display()}"


class Signature(models.Model):
    """A signature drawn on screen for one half-day, kept with who signed and when."""

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="signatures", null=True)
    session = models.ForeignKey(PresentialSession, on_delete=models.CASCADE, related_name="signatures")
    day = models.DateField()
    half_day = models.CharField(max_length=2, choices=HalfDay.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    image_png = models.BinaryField("signature (PNG)")
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "day", "half_day", "signer"], name="signature_once"),
        ]

    def __str__(self) -> str:
        return f"{self.signer} — {self.session} {self.day} {self.half_day}"


# --- In-organisation hours ----------------------------------------------------------------------


class DeclarationStatus(models.TextChoices):
    SUBMITTED = "submitted", "En attente de validation"
    VALIDATED = "validated", "Validée"
    REFUSED = "refused", "Refusée"
    WITHDRAWN = "withdrawn", "Retirée"


class OrganisationDeclaration(models.Model):
    """Hours of work done in the learner's organisation, declared by the learner and validated or
    refused (with a reason) by ARS staff."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="declarations")
    module = models.ForeignKey(ModulePage, on_delete=models.PROTECT, related_name="+", verbose_name="module")
    occurred_on = models.DateField("date")
    hours = models.DecimalField(
        "heures",
        validators=[MinValueValidator(Decimal("0.25"))],
        **HOURS_FIELD,
    )
    description = models.TextField("ce qui a été fait", max_length=2000)
    evidence = models.FileField("justificatif", upload_to="evidence/%Y/", null=True, blank=True)
    evidence_name = models.CharField("nom du justificatif", max_length=255, blank=True)
    evidence_content_type = models.CharField("type du justificatif", max_length=100, blank=True)
    status = models.CharField(
        "statut",
        max_length=16,
        choices=DeclarationStatus.choices,
        default=DeclarationStatus.SUBMITTED,
    )
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField("motif du refus", blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "déclaration d'heures en organisation"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="declaration_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.user} — {self.hours} h le {self.occurred_on}"
