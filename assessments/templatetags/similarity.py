"""Template helpers of the similarity room: a share the French way, and the summary the mémoire's
page shows (with the link to the report) to those who may read the report."""

from decimal import Decimal

from django import template

from assessments.similarity import permissions
from assessments.similarity.models import FlagState, ReportStatus, SimilarityReport

register = template.Library()


@register.filter
def percent(value) -> str:
    """A percentage the French way (« 12,5 », « 30 »); « — » for none."""
    if value is None:
        return "—"
    text = format(Decimal(value).quantize(Decimal("0.1")), "f")
    return text.removesuffix(".0").replace(".", ",")


@register.inclusion_tag("assessments/similarity/_memoire_summary.html", takes_context=True)
def similarity_summary(context, memoire):
    """The state of the mémoire's similarity check and the link to its report, for the team and
    the mémoire's markers; nothing for anyone else."""
    user = context["request"].user
    if not permissions.can_view_report(user, memoire):
        return {"shown": False}
    report = SimilarityReport.objects.filter(memoire=memoire).first()
    return {
        "shown": True,
        "memoire": memoire,
        "report": report,
        "ReportStatus": ReportStatus,
        "FlagState": FlagState,
    }
