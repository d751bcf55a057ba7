from django.db import models


class SpaceKind(models.TextChoices):
    GENERAL = "general", "Espace général"
    MODULE = "module", "Espace de module"
    COHORT = "cohort", "Espace de promotion"


class ModerationAction(models.TextChoices):
    PIN = "pin", "Épinglé"
    UNPIN = "unpin", "Désépinglé"
    LOCK = "lock", "Verrouillé"
    UNLOCK = "unlock", "Déverrouillé"
    MOVE = "move", "Déplacé"
    HIDE_THREAD = "hide_thread", "Fil masqué"
    SHOW_THREAD = "show_thread", "Fil rétabli"
    HIDE_POST = "hide_post", "Message masqué"
    SHOW_POST = "show_post", "Message rétabli"
    DISMISS_REPORT = "dismiss_report", "Signalement classé"
    UNMARK_ANSWER = "unmark_answer", "Réponse retenue retirée"


class ReportStatus(models.TextChoices):
    OPEN = "open", "À traiter"
    HIDDEN = "hidden", "Message masqué"
    DISMISSED = "dismissed", "Classé sans suite"


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", "À chaque nouveau message"
    DIGEST = "digest", "Un résumé quotidien"
    NONE = "none", "Jamais (notifications sur le site seulement)"


class AttachmentKind(models.TextChoices):
    IMAGE = "image", "Image"
    PDF = "pdf", "PDF"
