"""Text that must stay on one line: names and titles that reach an email subject, a file name or a
PDF title. A line break there makes the email raise a header error (and a batch job stop) or
splits a header; control characters and NUL bytes have no business in a name either.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import models

# C0 and C1 control characters (tab, CR and LF among them), NEL and the Unicode line and paragraph
# separators: anything a mail header or a PDF title would take as a break or choke on.
_BREAKING = "\x00-\x1f\x7f-\x9f\u2028\u2029"
# A run of whitespace or breaking characters that holds at least one breaking character.
_BREAK_RUN = re.compile(rf"[\s{_BREAKING}]*[{_BREAKING}][\s{_BREAKING}]*")


def single_line(value: str | None) -> str | None:
    """The value on one line: every run of whitespace that holds a line break or a control character
    becomes one space, and the ends are stripped. Ordinary spaces are kept; None stays None."""
    if value is None:
        return None
    return _BREAK_RUN.sub(" ", value).strip()


class SingleLineCharField(models.CharField):
    """A CharField stored on one line (see `single_line`), whatever path saves it: forms, the
    Wagtail admin, services, imports and `bulk_create` all go through `pre_save`.

    It migrates as a plain CharField: the normalisation is behaviour, not schema, so adopting it
    changes no table and needs no migration."""

    def pre_save(self, model_instance, add):
        value = single_line(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def to_python(self, value):
        return single_line(super().to_python(value))

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class SingleLineTitleMixin:
    """For Wagtail pages: the title (and the draft and SEO titles) stored on one line. Wagtail runs
    `full_clean` on every save, revision and publication, and the admin form's validation too."""

    def full_clean(self, *args, **kwargs):
        for name in ("title", "draft_title", "seo_title"):
            if getattr(self, name, None):
                setattr(self, name, single_line(getattr(self, name)))
        super().full_clean(*args, **kwargs)


def hours_text(value) -> str:
    """A number of hours in French notation, without trailing zeros: 12,5 ; 3 ; 0,25."""
    return f"{Decimal(value).normalize():f}".replace(".", ",")
