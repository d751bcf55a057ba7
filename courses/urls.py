"""The staff space (/gestion/, namespace `staff`), gathered from the rooms that serve it."""

from courses.cohorts import urls as cohorts
from courses.hours import urls as hours
from courses.tracking import urls as tracking

app_name = "staff"

urlpatterns = [*cohorts.urlpatterns, *tracking.urlpatterns, *hours.staff_urlpatterns]
