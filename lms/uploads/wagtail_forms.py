"""The Wagtail admin's documents and images through the upload gate.

`settings.WAGTAILDOCS_DOCUMENT_FORM_BASE` and `WAGTAILIMAGES_IMAGE_FORM_BASE` name the two form
bases below, so every admin screen that takes a file uses them: the single add, the multiple
upload (its AJAX post builds the same form, and shows the file's error under the file), the
chooser's upload tab and the edit screen's « replace file ». The file field judges nothing itself:
Wagtail's own image field opens the untrusted file with Willow before any form method runs, so it
is replaced by one that only receives the file, and `clean_file` hands it to the gate. What is
stored is the gate's content (images re-encoded) under a server-made name; the person's file name
stays the title's default, as Wagtail sets it (in the browser, and from the upload in the multiple
upload view).
"""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.fields import WagtailDocumentField
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from .gate import upload_check
from .kinds import IMAGE_KINDS, Kind, accept_attribute, kinds_label
from .names import clean_name, pixels_label, size_limit_label, upload_storage_name
from .policies import UploadPolicy

DOCUMENT_KINDS = frozenset({Kind.PDF, Kind.DOCX, Kind.ODT, Kind.XLSX, Kind.CSV})
#: Course material and guides run longer than a learner's evidence; the PDF probe stays bounded
#: in time and memory whatever the count (lms.uploads.pdf).
DOCUMENT_MAX_PDF_PAGES = 300


def document_policy() -> UploadPolicy:
    """What the pedagogical team may put in the document library (`WAGTAILDOCS_MAX_UPLOAD_SIZE`)."""
    return UploadPolicy(
        label="le document",
        kinds=DOCUMENT_KINDS,
        max_bytes=settings.WAGTAILDOCS_MAX_UPLOAD_SIZE,
        max_pdf_pages=DOCUMENT_MAX_PDF_PAGES,
    )


def image_policy() -> UploadPolicy:
    """What the pedagogical team may put in the image library (`WAGTAILIMAGES_MAX_UPLOAD_SIZE`,
    `WAGTAILIMAGES_MAX_IMAGE_PIXELS`); images keep their size, re-encoded."""
    return UploadPolicy(
        label="l'image",
        kinds=IMAGE_KINDS,
        max_bytes=settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE,
        max_image_pixels=settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS,
    )


def _gate_field_setup(field: forms.FileField, policy: UploadPolicy) -> None:
    """French help and browser-side messages that agree with the gate (the multiple upload screen
    checks size and extension in the browser with these messages before sending the file)."""
    limits = size_limit_label(policy.max_bytes)
    if policy.kinds <= IMAGE_KINDS:
        limits += f" et {pixels_label(policy.max_image_pixels)}"
    field.help_text = f"Formats acceptés : {kinds_label(policy.kinds)}. Taille : {limits} au plus."
    field.max_upload_size = policy.max_bytes
    field.error_messages["file_too_large_unknown_size"] = (
        f"Ce fichier est trop lourd : {limits} au plus. Réduisez-le puis réessayez."
    )
    field.error_messages["invalid_image_extension"] = (
        f"Ce format n'est pas accepté. Joignez une image {kinds_label(policy.kinds)}."
    )


class GateDocumentField(WagtailDocumentField):
    """Wagtail's document field without its own size check: the form's `clean_file` asks the gate,
    so every refusal reads the same."""

    def to_python(self, data):
        return forms.FileField.to_python(self, data)


class GateImageField(WagtailImageField):
    """Wagtail's image field without its checks, which open the untrusted file with Willow: the
    form's `clean_file` asks the gate, which bounds the pixels before decoding anything. Its
    extension validator goes too: the gate checks that the extension agrees with the content."""

    default_validators = []

    def to_python(self, data):
        return forms.FileField.to_python(self, data)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": accept_attribute(IMAGE_KINDS)}


class _GateFormMixin:
    """Swaps the form's file field for `field_class` and passes a new file through the gate."""

    field_class: type[forms.FileField]
    upload_policy: staticmethod  # () -> UploadPolicy, read when used so settings overrides apply

    def __init__(self, *args, **kwargs):
        self.uploader = kwargs.get("user")  # Wagtail's collection forms take it and do not keep it
        super().__init__(*args, **kwargs)
        wagtail_field = self.fields.get("file")
        if wagtail_field is None:  # the multiple upload's edit form: no file
            return
        field = self.field_class(
            label=wagtail_field.label, required=wagtail_field.required, widget=wagtail_field.widget
        )
        _gate_field_setup(field, self.upload_policy())
        self.fields["file"] = field

    def clean_file(self):
        """The gate's content of a newly uploaded file, named by the server; the stored file when
        none was sent (editing without replacing). Raises the gate's French refusal."""
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return upload
        checked = upload_check(name=upload.name, data=upload, policy=self.upload_policy(), user=self.uploader)
        # The model's upload_to gives the folder; the gate's name gives the rest.
        name = PurePath(upload_storage_name(folder="wagtail", checked=checked)).name
        return ContentFile(checked.content, name=name)

    def clean(self):
        """A file that passed is never kept while another field failed: the multiple upload view
        would then store the raw upload (not re-encoded, under the person's name) as an
        `UploadedFile` for later completion, outside this form. Say what to correct instead."""
        cleaned_data = super().clean()
        others = {name: errors for name, errors in self.errors.items() if name != "file"}
        upload = self.files.get(self.add_prefix("file"))
        if others and "file" not in self.errors and isinstance(upload, UploadedFile):
            details = "; ".join(
                f"{self.fields[name].label if name in self.fields else 'Formulaire'} : {' '.join(errors)}"
                for name, errors in others.items()
            )
            self.add_error(
                "file",
                f"« {clean_name(upload.name)} » n'a pas été enregistré ({details}). "
                "Corrigez puis joignez le fichier à nouveau.",
            )
        return cleaned_data

    def _post_clean(self):
        # With the file refused nothing is saved, and the model's own checks would judge an empty
        # file: Wagtail's Document.clean() adds « L'extension de fichier «  » n'est pas autorisée »
        # under the gate's message. The instance is left as it was.
        if not self.has_error("file"):
            super()._post_clean()


class GateDocumentForm(_GateFormMixin, BaseDocumentForm):
    """`WAGTAILDOCS_DOCUMENT_FORM_BASE`: documents through the gate (PDF, DOCX, ODT, XLSX, CSV)."""

    field_class = GateDocumentField
    upload_policy = staticmethod(document_policy)


class GateImageForm(_GateFormMixin, BaseImageForm):
    """`WAGTAILIMAGES_IMAGE_FORM_BASE`: images through the gate (PNG, JPEG, WebP, GIF), re-encoded."""

    field_class = GateImageField
    upload_policy = staticmethod(image_policy)
