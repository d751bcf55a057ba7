"""The courses app's models, gathered from its rooms so that the app label (`courses`) and the
migrations stay where they are. Each model lives in its room's models.py."""

from courses.attendance.models import Attendance, AttendanceStatus, Signature
from courses.catalogue.models import LessonPage, ModulePage, ProgrammePage
from courses.cohorts.models import Cohort, ElectiveChoice, Enrolment, EnrolmentImport
from courses.enums import HalfDay
from courses.hours.models import DeclarationStatus, HoursEntry, OrganisationDeclaration
from courses.learning.models import LessonActivity, LessonCompletion
from courses.sessions.models import PresentialSession, SessionReminder, TrainingProvider

__all__ = [
    "Attendance",
    "AttendanceStatus",
    "Cohort",
    "DeclarationStatus",
    "ElectiveChoice",
    "Enrolment",
    "EnrolmentImport",
    "HalfDay",
    "HoursEntry",
    "LessonActivity",
    "LessonCompletion",
    "LessonPage",
    "ModulePage",
    "OrganisationDeclaration",
    "PresentialSession",
    "ProgrammePage",
    "SessionReminder",
    "Signature",
    "TrainingProvider",
]
