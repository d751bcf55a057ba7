"""A script that tries to pass a knowledge check by guessing, using only what the lesson page shows
after each attempt: the score, and the « À revoir » list (which named the missed questions before
it listed topics). It is given the hints of all questions beforehand (as if learnt from earlier
failures), the strongest position a guesser can be in, and assumes one right choice per question.

It keeps every answer key, and every way of matching the hints to the questions, that agrees with
all it has seen, and answers the first key left: with the missed questions named it needs at most
three attempts on a check of three choices per question (the tester's script)."""

import itertools
import re
from html import unescape

LEGEND = re.compile(r'id="question-(\d+)-legend">Question \d+ — ([^<]+?)\s*<span')
CHOICE = re.compile(
    r'name="q(\d+)" value="(\d+)"[^>]*>\s*<label class="fr-label" for="[^"]+">([^<]+)</label>'
)
SCORE = re.compile(r"Dernière tentative : (\d+) %")
REVIEW = re.compile(r"À revoir avant de réessayer :</p>(.*?)</ul>", re.S)
ITEM = re.compile(r"<li>(.*?)</li>", re.S)


class Guesser:
    def __init__(self, *, questions: dict[str, list[str]], hints: list[str]):
        self.texts = sorted(questions)
        self.choices = [sorted(questions[text]) for text in self.texts]
        self.hints = sorted(hints)
        self.hypotheses = [
            (key, match)
            for key in itertools.product(*(range(len(c)) for c in self.choices))
            for match in itertools.permutations(self.hints)
        ]

    def guess(self) -> dict[str, str]:
        """The choice text to tick for each question text."""
        key = self.hypotheses[0][0]
        return {text: self.choices[q][key[q]] for q, text in enumerate(self.texts)}

    def observe(self, *, guess: dict[str, str], html: str) -> None:
        """Keep the hypotheses that would have shown this page after `guess`."""
        html = unescape(html)
        score = int(SCORE.search(html).group(1))
        items = {re.sub(r"\s+", " ", item).strip() for item in ITEM.findall(REVIEW.search(html).group(1))}
        named = {text for text in self.texts if any(text in item for item in items)}
        picked = [self.choices[q].index(guess[text]) for q, text in enumerate(self.texts)]

        def shows(key, match) -> bool:
            wrong = [q for q in range(len(self.texts)) if picked[q] != key[q]]
            if round(100 * (len(self.texts) - len(wrong)) / len(self.texts)) != score:
                return False
            if named:
                return named == {self.texts[q] for q in wrong}
            return items == {match[q] for q in wrong}

        self.hypotheses = [h for h in self.hypotheses if shows(*h)]


def page_form(html: str) -> tuple[str, dict[str, dict[str, tuple[str, str]]]]:
    """The attempt's seed and, per question text, choice text → (field, value) to post."""
    html = unescape(html)
    seed = re.search(r'name="attempt" value="([^"]+)"', html).group(1)
    legends = {position: text for position, text in LEGEND.findall(html)}
    form: dict[str, dict[str, tuple[str, str]]] = {text: {} for text in legends.values()}
    for position, value, text in CHOICE.findall(html):
        form[legends[position]][text] = (f"q{position}", value)
    return seed, form
