"""Answering a lesson's knowledge check as a browser would: open the page, read the attempt's order,
post the ticked choices by their text."""

import re
from html import unescape

CHOICE = re.compile(
    r'name="(q\d+)" value="(\d+)"[^>]*>\s*<label class="fr-label" for="[^"]+">([^<]+)</label>'
)
RIGHT = [
    "L'ARS et une collectivité",
    "Réduire les inégalités sociales de santé",
    "Réduire les inégalités territoriales de santé",
]
WRONG = ["Le seul ministère", "Financer des hôpitaux"]


def quiz_form(client, lesson) -> tuple[str, dict[str, tuple[str, str]]]:
    """The attempt's seed and, for each choice text, the (field, value) the page posts for it."""
    html = client.get(lesson.url).content.decode()
    seed = re.search(r'name="attempt" value="([^"]+)"', html).group(1)
    return seed, {unescape(text): (name, value) for name, value, text in CHOICE.findall(html)}


def quiz_data(client, lesson, texts: list[str]) -> dict[str, list[str] | str]:
    """The POST data ticking the choices named `texts` in the order the page shows now."""
    seed, choices = quiz_form(client, lesson)
    data: dict = {"attempt": seed}
    for text in texts:
        name, value = choices[text]
        data.setdefault(name, []).append(value)
    return data
