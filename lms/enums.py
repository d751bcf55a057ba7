from django.db import models


class Role(models.TextChoices):
    LEARNER = "learner", "Apprenant·e"
    ARS_STAFF = "ars_staff", "Référent·e ARS"
    TRAINER = "trainer", "Formateur·rice"
    PEDAGOGICAL_TEAM = "pedagogical_team", "Équipe pédagogique"
