from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import permissions, selectors


@login_required
def my_space(request):
    """« Mon espace »: where each role lands after signing in."""
    user = request.user
    if permissions.is_learner(user):
        from courses.views import learner_dashboard

        return learner_dashboard(request)
    if permissions.is_ars_staff(user):
        context = {"cohorts": selectors.cohort_rows(user=user), "regions": user.regions.all()}
        return render(request, "lms/space_ars.html", context)
    if permissions.is_trainer(user):
        return render(request, "lms/space_trainer.html", selectors.trainer_space(user=user))
    if permissions.is_pedagogical_team(user):
        return render(request, "lms/space_pedagogical.html", selectors.pedagogical_space(user=user))
    return render(request, "lms/space_none.html", status=403)
