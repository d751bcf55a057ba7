"""Files joined to forum posts: images (PNG, JPEG, WebP, GIF) and PDFs, through the upload gate
(lms.uploads) with FORUM_POLICY; at most MAX_FILES per post, checked within one time budget
(CHECK_SECONDS), so a post of hostile PDFs cannot hold a web thread for long. Every refusal names
the file, in French, for the member who chose it."""

from __future__ import annotations

import time

from django.core.exceptions import ValidationError

from forum.enums import AttachmentKind
from lms.uploads import CheckedUpload, Kind, UploadPolicy, accept_attribute, upload_check

MAX_FILES = 3
#: All the files of one post are checked within this many seconds (a PDF probe takes about 0.2 s).
CHECK_SECONDS = 20
FORUM_POLICY = UploadPolicy(
    label="une pièce jointe",
    kinds=frozenset({Kind.PNG, Kind.JPEG, Kind.WEBP, Kind.GIF, Kind.PDF}),
    max_bytes=5 * 1024 * 1024,
    max_pdf_pages=50,
    max_image_pixels=40_000_000,
)
ACCEPT_ATTRIBUTE = accept_attribute(FORUM_POLICY.kinds)


def attachment_kind(checked: CheckedUpload) -> AttachmentKind:
    """How the forum shows a checked file: a PDF is a download link, anything else an image."""
    return AttachmentKind.PDF if checked.kind == Kind.PDF else AttachmentKind.IMAGE


def attachments_check(uploads, *, user) -> list[CheckedUpload]:
    """Check the files of one post by `user`: at most MAX_FILES, each through the upload gate
    (which counts `user`'s refused files), all within CHECK_SECONDS. Raises one ValidationError
    listing every refused file, so the member fixes them all at once."""
    uploads = list(uploads or ())
    if len(uploads) > MAX_FILES:
        raise ValidationError(
            f"Joignez au plus {MAX_FILES} fichiers à un message (vous en avez choisi {len(uploads)}).",
            code="attachment",
        )
    checked, errors = [], []
    deadline = time.monotonic() + CHECK_SECONDS
    for upload in uploads:
        try:
            checked.append(
                upload_check(name=upload.name, data=upload, policy=FORUM_POLICY, user=user, deadline=deadline)
            )
        except ValidationError as exc:
            errors.extend(ValidationError(message, code="attachment") for message in exc.messages)
    if errors:
        raise ValidationError(errors)
    return checked
