"""The forum app's models, gathered from its rooms so that the app label (`forum`) and the
migrations stay where they are. Each model lives in its room's models.py."""

from forum.attachments.models import Attachment, attachment_path
from forum.faq.models import FaqEntry, FaqFeedback
from forum.moderation.models import ModerationLog, Report
from forum.notifications.models import Follow, Notification, NotificationPreference
from forum.threads.models import Post, Space, Thread, ThreadVisit

__all__ = [
    "Attachment",
    "FaqEntry",
    "FaqFeedback",
    "Follow",
    "ModerationLog",
    "Notification",
    "NotificationPreference",
    "Post",
    "Report",
    "Space",
    "Thread",
    "ThreadVisit",
    "attachment_path",
]
