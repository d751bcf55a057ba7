from django.db import models


class AuditAction(models.TextChoices):
    """What an audit entry records. Values are namespaced by the kind of object they act on."""

    USER_CREATED = "user.created", "Compte créé"
    USER_DELETED = "user.deleted", "Compte supprimé"
    USER_ROLE_CHANGED = "user.role_changed", "Rôle modifié"
    USER_REGIONS_CHANGED = "user.regions_changed", "Régions modifiées"
    USER_GROUPS_CHANGED = "user.groups_changed", "Groupes modifiés"
    USER_SUPERUSER_CHANGED = "user.superuser_changed", "Statut de superutilisateur·rice modifié"
    USER_ACTIVE_CHANGED = "user.active_changed", "Activation du compte modifiée"
    USER_EMAIL_CHANGED = "user.email_changed", "Adresse e-mail modifiée"
    USER_PASSWORD_SET = "user.password_set", "Mot de passe défini par un·e administrateur·rice"
    PASSWORD_CHANGED = "user.password_changed", "Mot de passe changé par la personne"
    PASSWORD_RESET = "user.password_reset", "Mot de passe réinitialisé par le lien envoyé par e-mail"
    USER_MFA_RESET = "user.mfa_reset", "Double authentification réinitialisée par un·e superutilisateur·rice"
    MFA_AUTHENTICATOR_ADDED = "user.mfa_added", "Méthode de double authentification ajoutée par la personne"
    MFA_AUTHENTICATOR_REMOVED = (
        "user.mfa_removed",
        "Méthode de double authentification retirée par la personne",
    )
    MFA_AUTHENTICATOR_RENEWED = "user.mfa_renewed", "Codes de secours régénérés par la personne"
    DELIVERABLE_REVIEWED = "deliverable.reviewed", "Décision sur une production écrite"
    DELIVERABLE_REVIEWER_ADDED = "deliverable.reviewer_added", "Correcteur·rice de productions désigné·e"
    DELIVERABLE_REVIEWER_REMOVED = "deliverable.reviewer_removed", "Correcteur·rice de productions retiré·e"
