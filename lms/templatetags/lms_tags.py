from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def hours(value) -> str:
    """French display of an hour figure: 2.50 → « 2,5 h »."""
    if value in (None, ""):
        return "0 h"
    number = Decimal(value).quantize(Decimal("0.01")).normalize()
    return f"{number:f}".replace(".", ",") + " h"


@register.filter
def fr_plural(value, forms: str) -> str:
    """The form of a word that agrees with a number, from "singular,plural": French uses the
    singular below two (« 1,5 h créditée », « 2 h créditées »)."""
    singular, plural = forms.split(",")
    return singular if abs(Decimal(value or 0)) < 2 else plural


@register.filter
def duration_fr(seconds) -> str:
    """Seconds as « 1 h 05 min » / « 12 min »."""
    seconds = int(seconds or 0)
    h, rest = divmod(seconds, 3600)
    m = rest // 60
    if h:
        return f"{h} h {m:02d} min"
    return f"{m} min"


@register.filter
def picked(answers, question_index):
    """The choice indices a learner had ticked for one question, from kept answers."""
    if not answers:
        return []
    return answers.get(int(question_index), [])


@register.filter
def contains(values, value) -> bool:
    return value in (values or [])


@register.filter
def stringify_list(values) -> list[str]:
    """A form value (list of ids, or None) as strings, to test membership in templates."""
    if values is None:
        return []
    if isinstance(values, (list, tuple)):
        return [str(v) for v in values]
    return [str(values)]
