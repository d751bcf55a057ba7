"""What a learner did: lessons completed and time spent per lesson and day."""

from django.db import models
from django.utils import timezone

from courses.catalogue.models import LessonPage
from courses.cohorts.models import Enrolment


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
