"""Shared set-up of the board and queue tests: mémoires moved past the final version (the marking
room's transitions are not in this branch: the state is set directly), markers and agreed marks."""

from __future__ import annotations

import html
from decimal import Decimal

from django.utils import timezone

from assessments.marking.models import AgreedMark, AgreedMarkRule, MarkerAssignment, MarkerRole
from assessments.memoire.models import Memoire


def text(response) -> str:
    return html.unescape(response.content.decode())


def move_to(memoire: Memoire, state: str) -> Memoire:
    Memoire.objects.filter(pk=memoire.pk).update(state=state, updated_at=timezone.now())
    memoire.refresh_from_db()
    return memoire


def assign_markers(memoire: Memoire, *markers, by) -> list[MarkerAssignment]:
    roles = [MarkerRole.FIRST, MarkerRole.SECOND, MarkerRole.THIRD]
    return [
        MarkerAssignment.objects.create(memoire=memoire, marker=marker, role=role, assigned_by=by)
        for marker, role in zip(markers, roles, strict=False)
    ]


def agreed_mark(memoire: Memoire, mark: str, *, released_by=None) -> AgreedMark:
    return AgreedMark.objects.create(
        memoire=memoire,
        mark=Decimal(mark),
        rule=AgreedMarkRule.AVERAGE,
        released_at=timezone.now() if released_by else None,
        released_by=released_by,
    )
