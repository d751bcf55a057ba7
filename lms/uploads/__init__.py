"""The one upload gate: every file the platform takes is checked here by content (type, size,
archive limits, PDF active content and page count, image dimensions), stored under a server-made
name and served as a download. New upload kinds declare an UploadPolicy next to their code."""

from .gate import upload_check
from .images import image_reencode
from .kinds import Kind, accept_attribute, kinds_label
from .names import (
    clean_name,
    figure,
    human_size,
    pixels_label,
    size_limit_label,
    upload_storage_name,
    upload_store,
)
from .policies import CheckedUpload, UploadPolicy, UploadRefused
from .serving import upload_response

__all__ = [
    "CheckedUpload",
    "Kind",
    "UploadPolicy",
    "UploadRefused",
    "accept_attribute",
    "clean_name",
    "figure",
    "human_size",
    "image_reencode",
    "kinds_label",
    "pixels_label",
    "size_limit_label",
    "upload_check",
    "upload_response",
    "upload_storage_name",
    "upload_store",
]
