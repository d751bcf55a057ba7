"""The forum's URLs (namespace `forum`), gathered from its rooms."""

from forum.animation import urls as animation
from forum.attachments import urls as attachments
from forum.faq import urls as faq
from forum.moderation import urls as moderation
from forum.notifications import urls as notifications
from forum.search import urls as search
from forum.threads import urls as threads

app_name = "forum"

# The space list ("") first, then the rooms' fixed paths (notifications/, faq/, recherche/,
# animation/, moderation/, pieces-jointes/…), then the <slug:slug>/ patterns, which would
# otherwise catch them.
urlpatterns = [
    threads.urlpatterns[0],
    *notifications.urlpatterns,
    *faq.urlpatterns,
    *search.urlpatterns,
    *animation.urlpatterns,
    *moderation.urlpatterns,
    *attachments.urlpatterns,
    *threads.urlpatterns[1:],
]
