from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import navigation


@login_required
def my_space(request):
    """« Mon espace »: where each role lands after signing in; the apps register each role's page."""
    view = navigation.space_view_for(request.user)
    if view is None:
        return render(request, "lms/space_none.html", status=403)
    return view(request)
