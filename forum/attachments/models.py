"""Images and PDFs joined to posts."""

from django.db import models
from django.utils import timezone

from forum.enums import AttachmentKind
from forum.threads.models import Post


def attachment_path(instance, filename: str) -> str:
    # The stored name never comes from the user; the original name is kept in a field.
    import uuid

    extension = (
        "pdf" if instance.kind == AttachmentKind.PDF else (instance.content_type.split("/")[-1] or "bin")
    )
    return f"forum/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class Attachment(models.Model):
    """An image or PDF joined to a post, checked by content and size; served by a permission-checked view."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField("nom du fichier", max_length=255)
    kind = models.CharField(max_length=8, choices=AttachmentKind.choices)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField("taille (octets)")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = "pièce jointe"

    def __str__(self) -> str:
        return self.original_name
