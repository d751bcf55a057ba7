"""FAQ entries (drafted, revised and published in Wagtail) and the members' feedback."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, RevisionMixin
from wagtail.search import index

from forum.threads.models import Thread
from lms.text import SingleLineCharField


class FaqEntry(DraftStateMixin, RevisionMixin, index.Indexed, models.Model):
    """A question and its answer, kept by the pedagogical team in Wagtail (snippet with drafts),
    grouped by module and theme; may come from a forum thread (« Ajouter à la FAQ »)."""

    question = SingleLineCharField("question", max_length=255)
    answer = RichTextField("réponse", features=["bold", "italic", "link", "ol", "ul", "h3", "h4"])
    module = models.ForeignKey(
        "courses.ModulePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faq_entries",
        verbose_name="module",
        help_text="Laisser vide pour une question générale sur la formation.",
    )
    theme = models.CharField("thème", max_length=100, help_text="Ex. : Heures, Qualiopi, Mémoire, Options.")
    source_thread = models.ForeignKey(
        Thread,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faq_entries",
        verbose_name="fil d'origine",
    )
    sort_order = models.PositiveIntegerField("ordre", default=0)

    panels = [
        FieldPanel("question"),
        FieldPanel("answer"),
        FieldPanel("module"),
        FieldPanel("theme"),
        FieldPanel("sort_order"),
        FieldPanel("source_thread", read_only=True),
    ]
    search_fields = [
        index.SearchField("question", boost=2),
        index.SearchField("answer"),
        index.SearchField("theme"),
        index.AutocompleteField("question"),
        index.FilterField("live"),
        index.FilterField("module_id"),
    ]

    class Meta:
        ordering = ["sort_order", "question"]
        verbose_name = "entrée de FAQ"
        verbose_name_plural = "FAQ"

    def __str__(self) -> str:
        return self.question


class FaqFeedback(models.Model):
    """« Cette réponse vous a-t-elle aidé ? »: one answer per member and entry, changeable."""

    entry = models.ForeignKey(FaqEntry, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helpful = models.BooleanField("utile")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "user"], name="faq_feedback_one_per_user")]

    def __str__(self) -> str:
        return f"{self.user} — {self.entry} — {'utile' if self.helpful else 'pas utile'}"
