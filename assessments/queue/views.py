"""The grouped « À corriger » page for trainers (and the team, who review deliverables)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from assessments.deliverables import permissions as deliverable_permissions
from assessments.queue import selectors


@login_required
def grouped_queue(request):
    if not deliverable_permissions.can_review_deliverables(request.user):
        raise PermissionDenied("« À corriger » est réservé aux formateur·rices et à l'équipe pédagogique.")
    sections = selectors.grouped_queue(user=request.user)
    return render(
        request,
        "assessments/queue/grouped.html",
        {
            "sections": sections,
            "total": sum(section.count for section in sections),
            "limit": selectors.SECTION_LIMIT,
            "now": timezone.now(),
        },
    )
