"""The soutenance's choices, shared by its models, services, views and templates."""

from django.db import models


class PvResult(models.TextChoices):
    ADMITTED = "admitted", "Admis·e"
    ADJOURNED = "adjourned", "Ajourné·e"
