from django.db import models


class SpaceKind(models.TextChoices):
    GENERAL = "general", "Espace général"
    MODULE = "module", "Espace de module"
    COHORT = "cohort", "Espace de promotion"
