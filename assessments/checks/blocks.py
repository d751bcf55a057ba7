"""The knowledge check a lesson may end with: questions, their choices, the correct ones and a
pass mark. Grading lives in `assessments.checks.services`."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Réponse proposée", max_length=300)
    correct = blocks.BooleanBlock(label="Bonne réponse", required=False)

    class Meta:
        label = "Réponse"


class QuestionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Question", max_length=500)
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2, max_num=8, label="Réponses")
    review_hint = blocks.CharBlock(
        label="À revoir en cas d'erreur",
        required=False,
        max_length=500,
        help_text="Ce que l'apprenant·e doit relire s'il ou elle se trompe.",
    )

    class Meta:
        label = "Question"

    def clean(self, value):
        value = super().clean(value)
        if not any(choice["correct"] for choice in value["choices"]):
            raise StructBlockValidationError(
                block_errors={"choices": ValidationError("Cochez au moins une bonne réponse.")}
            )
        return value


class KnowledgeCheckBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Titre", default="Vérifiez vos connaissances", max_length=200)
    pass_mark = blocks.IntegerBlock(
        label="Seuil de réussite (%)",
        min_value=1,
        max_value=100,
        default=70,
    )
    questions = blocks.ListBlock(QuestionBlock(), min_num=1, max_num=30, label="Questions")

    class Meta:
        label = "Quiz de connaissances"
        icon = "tick-inverse"
        template = "assessments/checks/blocks/knowledge_check.html"
