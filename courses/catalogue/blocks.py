"""The blocks of a lesson's body; the knowledge check comes from assessments.checks."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock

from assessments.checks.blocks import KnowledgeCheckBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Titre", max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Niveau 2"), ("h3", "Niveau 3")],
        default="h2",
        label="Niveau",
    )

    class Meta:
        icon = "title"
        label = "Intertitre"
        template = "courses/catalogue/blocks/heading.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("info", "Information"), ("important", "À retenir"), ("example", "Exemple")],
        default="info",
        label="Type",
    )
    title = blocks.CharBlock(label="Titre", max_length=200, required=False)
    text = blocks.RichTextBlock(label="Texte", features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "help"
        label = "Encadré"
        template = "courses/catalogue/blocks/callout.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label="Adresse de la vidéo")
    transcript = blocks.RichTextBlock(
        label="Transcription",
        required=False,
        features=["bold", "italic", "link", "ul"],
    )

    class Meta:
        icon = "media"
        label = "Vidéo"
        template = "courses/catalogue/blocks/video.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="Document")
    description = blocks.CharBlock(label="Description", required=False, max_length=300)

    class Meta:
        icon = "doc-full"
        label = "Document"
        template = "courses/catalogue/blocks/document.html"


RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "link", "ol", "ul", "blockquote"]


class LessonBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label="Texte", features=RICH_TEXT_FEATURES)
    heading = HeadingBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    knowledge_check = KnowledgeCheckBlock()

    class Meta:
        block_counts = {"knowledge_check": {"max_num": 1}}
