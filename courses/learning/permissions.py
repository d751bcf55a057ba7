"""Who may open a lesson."""

from __future__ import annotations

from courses.catalogue.models import LessonPage
from courses.cohorts.selectors import enrolment_for_page
from lms.permissions import is_learner


def can_view_lesson(user, lesson: LessonPage) -> bool:
    """Staff read every lesson; a learner reads the lessons of the programme they are enrolled in."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if is_learner(user):
        return enrolment_for_page(user=user, page=lesson) is not None
    return True
