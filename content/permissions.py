"""Who may download what the content app publishes."""

from content.models import Resource


def can_download_document(user, document) -> bool:
    """Documents of the public resource library are open to all; every other document (lesson
    material, anything not published in the library) is for signed-in users only."""
    if user and user.is_authenticated and user.is_active:
        return True
    return Resource.objects.filter(document=document).exists()
