"""The catalogue's page hooks: the programme page lists its modules and the path's bounds."""

from wagtail import hooks

from courses.catalogue import selectors


@hooks.register("courses_programme_page_context")
def programme_page_context(*, page, request) -> dict:
    return {
        "modules": selectors.programme_modules(programme=page),
        "bounds": selectors.programme_hour_summary(programme=page),
    }
