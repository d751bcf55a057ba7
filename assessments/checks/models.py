"""A learner's attempts at a lesson's knowledge check."""

from django.db import models
from django.utils import timezone


class KnowledgeCheckAttempt(models.Model):
    """One submission of a lesson's knowledge check, kept whether passed or failed."""

    enrolment = models.ForeignKey(
        "courses.Enrolment",
        on_delete=models.CASCADE,
        related_name="knowledge_check_attempts",
    )
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField("réponses")
    score = models.PositiveSmallIntegerField("score (%)")
    passed = models.BooleanField("réussi")
    wrong_questions = models.JSONField("questions manquées", default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "tentative de quiz"
        indexes = [models.Index(fields=["enrolment", "lesson", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.lesson} : {self.score} %"
