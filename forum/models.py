from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, RevisionMixin
from wagtail.search import index

from lms.text import SingleLineCharField

from .enums import AttachmentKind, EmailMode, ModerationAction, ReportStatus, SpaceKind


class Space(models.Model):
    """A forum space: the whole programme's, one module's (its learners, trainers and the team) or
    one cohort's (its learners, its region's ARS staff, trainers and the team). Who may read and
    post is decided by lms.permissions.space_access alone."""

    kind = models.CharField("type", max_length=16, choices=SpaceKind.choices)
    title = SingleLineCharField("titre", max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField("description", blank=True)
    programme = models.ForeignKey(
        "courses.ProgrammePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="programme",
    )
    module = models.OneToOneField(
        "courses.ModulePage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="forum_space",
    )
    cohort = models.OneToOneField(
        "courses.Cohort",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="forum_space",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = "espace du forum"
        verbose_name_plural = "espaces du forum"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=SpaceKind.GENERAL, module__isnull=True, cohort__isnull=True)
                    | Q(kind=SpaceKind.MODULE, module__isnull=False, cohort__isnull=True)
                    | Q(kind=SpaceKind.COHORT, module__isnull=True, cohort__isnull=False)
                ),
                name="space_kind_matches_its_target",
            ),
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(kind=SpaceKind.GENERAL),
                name="space_one_general_per_programme",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Thread(models.Model):
    """A question or discussion in a space; its posts follow in order."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="threads")
    title = SingleLineCharField("titre", max_length=200)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now, db_index=True)
    is_pinned = models.BooleanField("épinglé", default=False)
    is_locked = models.BooleanField("verrouillé", default=False)
    is_hidden = models.BooleanField("masqué", default=False)
    first_trainer_reply_at = models.DateTimeField(
        "première réponse d'un·e formateur·rice",
        null=True,
        blank=True,
        help_text="Date de la première réponse d'un·e formateur·rice ou de l'équipe pédagogique.",
    )
    answer = models.ForeignKey(
        "forum.Post",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="réponse",
    )

    class Meta:
        ordering = ["-is_pinned", "-last_post_at"]
        verbose_name = "fil de discussion"
        verbose_name_plural = "fils de discussion"

    def __str__(self) -> str:
        return self.title


class Post(index.Indexed, models.Model):
    """One message: its Markdown source and the sanitised HTML rendered from it."""

    search_fields = [
        index.SearchField("source"),
        index.AutocompleteField("source"),
        index.RelatedFields("thread", [index.SearchField("title")]),
        index.FilterField("thread_id"),
        index.FilterField("is_hidden"),
        index.FilterField("deleted_at"),
    ]

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source = models.TextField("message (Markdown)")
    html = models.TextField(editable=False)
    quote = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    is_hidden = models.BooleanField("masqué", default=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "message"
        indexes = [models.Index(fields=["thread", "created_at"])]

    def __str__(self) -> str:
        return f"{self.author} — {self.thread}"


class ModerationLog(models.Model):
    """One moderation act, with its reason; never edited."""

    action = models.CharField("action", max_length=32, choices=ModerationAction.choices)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="moderation_log")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("motif", blank=True)
    from_space = models.ForeignKey(Space, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    to_space = models.ForeignKey(Space, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "acte de modération"
        verbose_name_plural = "journal de modération"

    def __str__(self) -> str:
        return f"{self.get_action_display()} — {self.thread}"


class Report(models.Model):
    """A member's report of a post; open reports form the moderation queue."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("motif du signalement")
    status = models.CharField("état", max_length=16, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "signalement"
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(status="open"),
                name="report_one_open_per_post_and_reporter",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"Signalement de {self.reporter} — {self.post}"


class ThreadVisit(models.Model):
    """Up to when a member has read a thread: posts created after `seen_until` are unread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="visits")
    seen_until = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="thread_visit_one_per_user")]

    def __str__(self) -> str:
        return f"{self.user} — {self.thread} — lu jusqu'au {self.seen_until:%Y-%m-%d %H:%M}"


class Follow(models.Model):
    """A member follows a thread or a whole space (exactly one of the two)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    space = models.ForeignKey(Space, null=True, blank=True, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "abonnement"
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=False, space__isnull=True)
                | Q(thread__isnull=True, space__isnull=False),
                name="follow_thread_xor_space",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"], condition=Q(thread__isnull=False), name="follow_one_per_thread"
            ),
            models.UniqueConstraint(
                fields=["user", "space"], condition=Q(space__isnull=False), name="follow_one_per_space"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} suit {self.thread or self.space}"


class Notification(models.Model):
    """A new post for a follower: counted in the site menu until read, emailed per their choice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="notification_one_per_user_and_post")
        ]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["emailed_at", "user"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.post}"


class NotificationPreference(models.Model):
    """How a member wants forum emails; absent means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_preference"
    )
    email_mode = models.CharField(
        "e-mails du forum", max_length=16, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )
    follow_own_threads = models.BooleanField("suivre automatiquement mes questions", default=True)

    class Meta:
        verbose_name = "préférence de notification"

    def __str__(self) -> str:
        return f"{self.user} — {self.get_email_mode_display()}"


def attachment_path(instance, filename: str) -> str:
    # The stored name never comes from the user; the original name is kept in a field.
    import uuid

    extension = (
        "pdf" if instance.kind == AttachmentKind.PDF else (instance.content_type.split("/")[-1] or "bin")
    )
    return f"forum/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class Attachment(models.Model):
    """An image or PDF joined to a post, checked by content and size; served by a permission-checked view."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField("nom du fichier", max_length=255)
    kind = models.CharField(max_length=8, choices=AttachmentKind.choices)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField("taille (octets)")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = "pièce jointe"

    def __str__(self) -> str:
        return self.original_name


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
