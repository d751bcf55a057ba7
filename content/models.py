from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.catalogue.blocks import CalloutBlock, HeadingBlock


class HomePage(Page):
    """The site's home: the programme and the plain pages hang below it."""

    lead = models.TextField("chapô", blank=True)
    body = RichTextField("texte", blank=True)

    content_panels = Page.content_panels + [FieldPanel("lead"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.ProgrammePage", "content.ContentPage"]
    max_count = 1
    template = "content/home_page.html"

    class Meta:
        verbose_name = "accueil"

    def get_context(self, request, *args, **kwargs):
        from courses.catalogue.models import ProgrammePage

        context = super().get_context(request, *args, **kwargs)
        context["programmes"] = ProgrammePage.objects.live().child_of(self)
        return context


class ContentPage(Page):
    """A plain page (about, legal notice, accessibility statement…)."""

    body = StreamField(
        [
            ("paragraph", blocks.RichTextBlock(label="Texte")),
            ("heading", HeadingBlock()),
            ("callout", CalloutBlock()),
        ],
        blank=True,
        verbose_name="contenu",
    )

    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["content.HomePage", "content.ContentPage"]
    template = "content/content_page.html"

    class Meta:
        verbose_name = "page de contenu"


class CompetencyDomain(models.Model):
    """A block of the coordinator's competency framework (référentiel), e.g. a mission."""

    code = models.CharField("code", max_length=10, unique=True)
    title = models.CharField("intitulé", max_length=300)
    description = models.TextField("description", blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "domaine de compétences"
        verbose_name_plural = "domaines de compétences"

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"


class Competency(models.Model):
    class Kind(models.TextChoices):
        KNOWLEDGE = "knowledge", "Savoirs"
        SKILL = "skill", "Savoir-faire"
        ATTITUDE = "attitude", "Savoir-être"

    domain = models.ForeignKey(
        CompetencyDomain,
        on_delete=models.CASCADE,
        related_name="competencies",
        verbose_name="domaine",
    )
    code = models.CharField("code", max_length=10, unique=True)
    kind = models.CharField("nature", max_length=16, choices=Kind.choices, default=Kind.SKILL)
    title = models.CharField("intitulé", max_length=400)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        ordering = ["domain__order", "order", "code"]
        verbose_name = "compétence"

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"


class GlossaryTerm(index.Indexed, models.Model):
    acronym = models.CharField("sigle", max_length=40, unique=True)
    expansion = models.CharField("signification", max_length=300)
    definition = models.TextField("définition", blank=True)

    search_fields = [index.SearchField("acronym"), index.SearchField("expansion")]

    class Meta:
        ordering = ["acronym"]
        verbose_name = "terme du glossaire"
        verbose_name_plural = "glossaire"

    def __str__(self) -> str:
        return f"{self.acronym} — {self.expansion}"


class Resource(index.Indexed, models.Model):
    """An entry of the resource library: a practical sheet or a reference document."""

    class Category(models.TextChoices):
        PRACTICAL_SHEET = "sheet", "Fiche pratique"
        FRAMEWORK = "framework", "Cadre et référentiel"
        TOOL = "tool", "Outil"

    title = models.CharField("titre", max_length=300)
    category = models.CharField(
        "catégorie",
        max_length=16,
        choices=Category.choices,
        default=Category.PRACTICAL_SHEET,
    )
    summary = models.TextField("résumé")
    source = models.CharField("source", max_length=300, blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="document",
    )
    modules = models.ManyToManyField(
        "courses.ModulePage",
        blank=True,
        related_name="resources",
        verbose_name="modules liés",
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)

    search_fields = [index.SearchField("title"), index.SearchField("summary")]
    panels = [
        FieldPanel("title"),
        FieldPanel("category"),
        FieldPanel("summary"),
        FieldPanel("source"),
        FieldPanel("document"),
        FieldPanel("modules"),
        FieldPanel("order"),
    ]

    class Meta:
        ordering = ["category", "order", "title"]
        verbose_name = "ressource"

    def __str__(self) -> str:
        return self.title
