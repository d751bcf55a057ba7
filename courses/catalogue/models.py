"""The course tree edited in Wagtail: programme → modules → lessons."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.catalogue.blocks import LessonBodyBlock
from courses.catalogue.forms import ModulePageForm
from courses.catalogue.hooks import page_context
from courses.catalogue.rules import option_pair_violations
from courses.enums import Modality, ModuleKind
from lms.text import SingleLineTitleMixin

HOURS_FIELD = {"max_digits": 6, "decimal_places": 2}


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
    memoire_min_pages = models.PositiveSmallIntegerField(
        "pages minimum du mémoire", default=10, validators=[MinValueValidator(1)]
    )
    memoire_max_pages = models.PositiveSmallIntegerField(
        "pages maximum du mémoire",
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(300)],
        help_text="Annexes non comprises : elles se déposent à part et ne sont pas comptées.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldRowPanel(
            [FieldPanel("hours_min"), FieldPanel("hours_max"), FieldPanel("presential_cap")],
            heading="Bornes horaires",
        ),
        FieldRowPanel(
            [FieldPanel("memoire_min_pages"), FieldPanel("memoire_max_pages")],
            heading="Longueur du mémoire",
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["courses.ModulePage"]
    template = "courses/catalogue/programme_page.html"

    class Meta:
        verbose_name = "programme"

    def clean(self):
        """Refuse bounds in the wrong order, or new bounds that some choice of optional modules
        would leave (the same check as ModulePage.clean, from the programme's side)."""
        super().clean()
        if (
            self.memoire_min_pages is not None
            and self.memoire_max_pages is not None
            and self.memoire_min_pages > self.memoire_max_pages
        ):
            raise ValidationError(
                {"memoire_max_pages": "Le nombre de pages maximum doit être supérieur ou égal au minimum."}
            )
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
        context = super().get_context(request, *args, **kwargs)
        context.update(page_context("courses_programme_page_context", page=self, request=request))
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
    template = "courses/catalogue/module_page.html"

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
        context = super().get_context(request, *args, **kwargs)
        context.update(page_context("courses_module_page_context", page=self, request=request))
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
    template = "courses/catalogue/lesson_page.html"

    class Meta:
        verbose_name = "leçon"

    @property
    def knowledge_check(self):
        """The lesson's knowledge-check block value, or None."""
        for block in self.body:
            if block.block_type == "knowledge_check":
                return block.value
        return None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(page_context("courses_lesson_page_context", page=self, request=request))
        return context
