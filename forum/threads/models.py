"""Spaces, threads, posts and what each member has read."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.search import index

from forum.enums import SpaceKind
from lms.text import SingleLineCharField


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


class ThreadVisit(models.Model):
    """Up to when a member has read a thread: posts created after `seen_until` are unread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="visits")
    seen_until = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="thread_visit_one_per_user")]

    def __str__(self) -> str:
        return f"{self.user} — {self.thread} — lu jusqu'au {self.seen_until:%Y-%m-%d %H:%M}"
