import zoneinfo
from functools import cache

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models

from .audit.models import AuditEntry  # noqa: F401  (the audit room's model, under the lms label)
from .enums import Role
from .text import SingleLineCharField, single_line


@cache
def time_zone_names() -> frozenset[str]:
    """The IANA time zone names this system knows (read once)."""
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    """Refuse a name that is not an IANA time zone (a typo would break every local time)."""
    if value not in time_zone_names():
        raise ValidationError(
            "« %(value)s » n'est pas un fuseau horaire connu : saisissez un nom IANA, par exemple "
            "Europe/Paris, America/Cayenne ou Indian/Reunion.",
            code="invalid_time_zone",
            params={"value": value},
        )


class Region(models.Model):
    """A region of the programme; data, so a new region is added in the admin."""

    name = SingleLineCharField("nom", max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    timezone = models.CharField(
        "fuseau horaire",
        max_length=64,
        default="Europe/Paris",
        validators=[validate_time_zone],
        help_text="Nom IANA, par exemple Europe/Paris, America/Cayenne, Indian/Reunion.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "région"

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Une adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.PEDAGOGICAL_TEAM)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person of the platform, signing in with their email; what they may do follows `role`."""

    username = None
    email = models.EmailField("adresse e-mail", unique=True)
    role = models.CharField("rôle", max_length=32, choices=Role.choices, default=Role.LEARNER)
    regions = models.ManyToManyField(
        Region,
        blank=True,
        related_name="staff",
        verbose_name="régions",
        help_text="Pour les référent·es ARS : les régions dont ils ou elles ont la charge.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        verbose_name = "utilisateur·rice"

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        # One account per address whatever its case: enrolment and import compare lower-cased emails.
        if self.email:
            self.email = self.email.strip().lower()
        # Names reach email bodies, attendance sheets and PDF titles: kept on one line.
        self.first_name, self.last_name = single_line(self.first_name), single_line(self.last_name)
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email
