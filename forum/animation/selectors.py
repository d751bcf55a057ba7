"""Reads for the trainers' animation of the forum: the questions still waiting for a trainer, and
the median time to a trainer's first answer, per space and per month.

« Staff » here means trainers and the pedagogical team (superusers included, as in
lms.permissions.is_pedagogical_team): their replies set Thread.first_trainer_reply_at
(forum.services.post_reply), and their own threads are not questions waiting for them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from forum.threads import permissions
from forum.threads.models import Post, Space, Thread
from lms.enums import Role

STAFF_ROLES = (Role.TRAINER, Role.PEDAGOGICAL_TEAM)


def _staff(prefix: str) -> Q:
    """Users (reached through `prefix`) whose replies count as a trainer's answer."""
    return Q(**{f"{prefix}__role__in": STAFF_ROLES}) | Q(**{f"{prefix}__is_superuser": True})


def spaces_moderated_by(user) -> list[Space]:
    """The spaces `user` moderates (lms.permissions.spaces_moderated_by), in the spaces' order."""
    return list(permissions.spaces_moderated_by(user))


def _waiting(threads: QuerySet[Thread]) -> QuerySet[Thread]:
    """Questions from learners or ARS staff, visible and open, that neither a trainer reply nor a
    marked answer has settled."""
    return threads.filter(
        is_hidden=False,
        is_locked=False,
        first_trainer_reply_at__isnull=True,
        answer__isnull=True,
    ).exclude(_staff("author"))


def unanswered_threads(*, spaces: list[Space]) -> QuerySet[Thread]:
    """The waiting questions of `spaces`, oldest first, each with its space and author and
    `peer_replies`: visible replies by members other than its author."""
    # A subquery rather than a join with GROUP BY: only the page's rows pay for it, and the
    # paginator's count leaves it out.
    peer_replies = (
        Post.objects.filter(thread=OuterRef("pk"), deleted_at__isnull=True, is_hidden=False)
        .exclude(author=OuterRef("author"))
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        _waiting(Thread.objects.filter(space__in=spaces))
        .select_related("space", "author")
        .annotate(peer_replies=Coalesce(Subquery(peer_replies), 0))
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class SpaceWaiting:
    space: Space
    waiting: int
    oldest: datetime.datetime


def unanswered_by_space(*, spaces: list[Space]) -> list[SpaceWaiting]:
    """Per space with waiting questions: how many, and since when the oldest waits (one query);
    the spaces with the oldest question first."""
    by_id = {s.pk: s for s in spaces}
    rows = (
        _waiting(Thread.objects.filter(space__in=spaces))
        .order_by()
        .values("space_id")
        .annotate(waiting=Count("pk"), oldest=Min("created_at"))
    )
    out = [SpaceWaiting(by_id[r["space_id"]], r["waiting"], r["oldest"]) for r in rows]
    return sorted(out, key=lambda row: (row.oldest, row.space.pk))


def unanswered_count(*, user) -> int:
    """How many questions wait for a trainer in the spaces `user` moderates (0 for the others)."""
    spaces = spaces_moderated_by(user)
    return unanswered_threads(spaces=spaces).count() if spaces else 0


# --- Median time to a trainer's first answer -----------------------------------------------------


@dataclass(frozen=True)
class MonthAnswerStats:
    month: datetime.date  # first day of the month, in the site's time zone
    median: datetime.timedelta | None
    answered: int
    waiting: int


def _month_start(day: datetime.date, back: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _median(values: list[datetime.timedelta]) -> datetime.timedelta | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def first_answer_medians(
    *, space: Space, months: int = 6, now: datetime.datetime | None = None
) -> list[MonthAnswerStats]:
    """For each of the last `months` calendar months (the current one included, oldest first, in
    the site's time zone), over the questions created that month in `space` by learners or ARS
    staff and not hidden: the median time from the question to a trainer's first reply among
    those answered, how many were answered, and how many still wait (the same rule as the
    unanswered questions page: questions closed by a marked answer or a lock count in neither).
    One query."""
    if months < 1:
        return []
    today = timezone.localdate(now or timezone.now())
    first = _month_start(today, back=months - 1)
    since = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    rows = (
        Thread.objects.filter(space=space, is_hidden=False, created_at__gte=since)
        .exclude(_staff("author"))
        .values_list("created_at", "first_trainer_reply_at", "answer_id", "is_locked")
    )
    delays: dict[datetime.date, list[datetime.timedelta]] = {}
    waiting: dict[datetime.date, int] = {}
    for created_at, replied_at, answer_id, is_locked in rows:
        month = timezone.localtime(created_at).date().replace(day=1)
        if replied_at is not None:
            delays.setdefault(month, []).append(replied_at - created_at)
        elif answer_id is None and not is_locked:
            waiting[month] = waiting.get(month, 0) + 1
    out = []
    for back in range(months - 1, -1, -1):
        month = _month_start(today, back=back)
        answered = delays.get(month, [])
        out.append(MonthAnswerStats(month, _median(answered), len(answered), waiting.get(month, 0)))
    return out


# --- French wording ------------------------------------------------------------------------------


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def waiting_since_fr(delta: datetime.timedelta) -> str:
    """« depuis 3 jours », « depuis 5 heures », « depuis 12 minutes », « depuis 2 mois »."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return "depuis moins d'une minute"
    if seconds < 3600:
        return "depuis " + _plural(seconds // 60, "minute")
    if seconds < 86400:
        return "depuis " + _plural(seconds // 3600, "heure")
    days = seconds // 86400
    if days < 60:
        return "depuis " + _plural(days, "jour")
    return f"depuis {days // 30} mois"


def duration_fr(delta: datetime.timedelta) -> str:
    """A delay, to the minute: « 45 min », « 2 h 15 », « 3 h », « 1 j 4 h », « 2 j »."""
    minutes = max(0, round(delta.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes:02d}" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} j {hours} h" if hours else f"{days} j"
