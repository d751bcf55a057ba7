"""Forms of attendance: the half-day sheet, the typed check-in code and the on-screen signature."""

import base64
import binascii
import re
from decimal import Decimal, InvalidOperation

from django import forms

from courses.attendance.models import AttendanceStatus
from courses.attendance.services import SIGNATURE_MAX_BYTES, Mark

STATUS_FIELD = re.compile(r"^status-(\d+)$")
DATA_URL_PREFIX = "data:image/png;base64,"


class AttendanceSheetForm(forms.Form):
    """One status (and, for a partial presence, hours) per learner of the sheet, posted as
    ``status-<enrolment id>`` and ``hours-<enrolment id>``. Every posted id is read, not only the
    listed ones: the service refuses a learner who is not on the sheet."""

    def __init__(self, data=None, *, rows):
        super().__init__(data)
        self.rows = rows
        self.row_errors: dict[int, str] = {}
        self.marks: list[Mark] = []

    def value_for(self, row) -> tuple[str, str]:
        """The status and hours to show in a row: what was posted, else what is recorded."""
        pk = row.enrolment.pk
        if self.is_bound:
            return self.data.get(f"status-{pk}", ""), self.data.get(f"hours-{pk}", "")
        if row.attendance is None:
            return "", ""
        hours = row.attendance.hours if row.attendance.status == AttendanceStatus.PARTIAL else ""
        return row.attendance.status, f"{hours}" if hours != "" else ""

    def clean(self):
        names = {row.enrolment.pk: row.user.display_name for row in self.rows}
        marks = []
        for key in self.data:
            match = STATUS_FIELD.match(key)
            if not match:
                continue
            pk = int(match.group(1))
            status = self.data.get(key, "").strip()
            if not status:
                continue
            if status not in AttendanceStatus.values:
                self.row_errors[pk] = "Choisissez un statut de la liste."
                continue
            hours = None
            if status == AttendanceStatus.PARTIAL:
                text = self.data.get(f"hours-{pk}", "").strip().replace(",", ".")
                try:
                    hours = Decimal(text)
                except InvalidOperation:
                    self.row_errors[pk] = "Indiquez les heures de présence partielle (par exemple 1,5)."
                    continue
                if not hours.is_finite() or hours.as_tuple().exponent < -2:
                    self.row_errors[pk] = "Indiquez les heures avec au plus deux décimales."
                    continue
            marks.append(Mark(enrolment_id=pk, status=status, hours=hours))
        if self.row_errors:
            listed = [names.get(pk, f"n° {pk}") for pk in self.row_errors]
            raise forms.ValidationError("Vérifiez la saisie de : " + ", ".join(listed) + ".")
        if not marks:
            raise forms.ValidationError(
                "Aucun statut n'a été saisi : choisissez un statut pour au moins une personne."
            )
        self.marks = marks
        return self.cleaned_data


class CheckinCodeForm(forms.Form):
    code = forms.CharField(
        label="Code affiché sous le QR code",
        max_length=12,
        help_text="6 chiffres, par exemple 042917. Le code change chaque minute.",
        error_messages={"required": "Saisissez le code à 6 chiffres affiché dans la salle."},
    )

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError("Le code compte exactement 6 chiffres.")
        return code


class SignatureForm(forms.Form):
    """The PNG drawn on the canvas, sent by static/js/signature.js as a data URL."""

    signature = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": "Signez dans le cadre avant de valider."},
    )

    def clean_signature(self) -> bytes:
        value = self.cleaned_data["signature"].strip()
        if not value.startswith(DATA_URL_PREFIX):
            raise forms.ValidationError("La signature n'est pas une image PNG.")
        encoded = value[len(DATA_URL_PREFIX) :]
        if len(encoded) > (SIGNATURE_MAX_BYTES * 4) // 3 + 4:
            raise forms.ValidationError("La signature dépasse 200 Ko : effacez-la et signez de nouveau.")
        try:
            return base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise forms.ValidationError(
                "La signature n'a pas pu être lue : effacez-la et signez de nouveau."
            ) from None
