"""Attachments are served by a permission-checked view, never from MEDIA_ROOT."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from forum.attachments import selectors
from lms.uploads import upload_response


@login_required
def attachment_download(request, pk):
    """An attachment, streamed only to members who may read its post, with its original name; never
    served from MEDIA_ROOT. Served by the upload gate: a download, sandboxed and never sniffed
    (the thread page's thumbnails still show images, `<img>` ignores the download disposition)."""
    attachment = selectors.attachment_readable(user=request.user, pk=pk)
    if attachment is None:
        raise Http404("Pièce jointe introuvable.")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Pièce jointe introuvable.") from exc
    return upload_response(
        file=handle, filename=attachment.original_name, content_type=attachment.content_type
    )
