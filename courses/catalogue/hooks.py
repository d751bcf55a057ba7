"""What the course pages show beyond their own fields comes from the rooms above them.

The catalogue is the bottom of the courses app: cohorts, the ledger and the learner's progress
all refer to its pages, so its pages cannot import them. Instead each page asks Wagtail's hook
registry for its context (`courses_<kind>_page_context`); the rooms that know the learner's
state register the providers in their `wagtail_hooks.py`, and the access rule for lessons is a
`before_serve_page` hook of the learning room.
"""

from wagtail import hooks


def page_context(hook_name: str, *, page, request) -> dict:
    """The context every provider registered under `hook_name` gives for this page and request."""
    context: dict = {}
    for provide in hooks.get_hooks(hook_name):
        context.update(provide(page=page, request=request))
    return context


def page_sections(hook_name: str, *, request, **kwargs) -> list[str]:
    """The HTML sections (already rendered, safe) that the providers registered under `hook_name`
    add to a page of the courses app, such as the learner's dashboard
    (`courses_learner_dashboard_sections`) or a staff enrolment page
    (`courses_enrolment_detail_sections`); empty ones are left out."""
    sections = (provide(request=request, **kwargs) for provide in hooks.get_hooks(hook_name))
    return [section for section in sections if section]


def progress_columns(hook_name: str, *, request, cohort) -> list[dict]:
    """The extra columns the providers registered under `hook_name` add to a cohort's progress
    table (`courses_cohort_progress_columns`): each a dict with a `label` and `cells`, the text
    of each enrolment's cell by enrolment id. A provider shows what the viewer may see only, and
    runs a fixed number of queries for the whole cohort."""
    return [provide(request=request, cohort=cohort) for provide in hooks.get_hooks(hook_name)]
