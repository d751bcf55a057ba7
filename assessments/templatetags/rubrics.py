from django import template

from assessments.rubrics.grading import mark_text

register = template.Library()


@register.filter
def mark(value) -> str:
    """A mark the French way (« 12,5 »); « — » for none."""
    return mark_text(value)
