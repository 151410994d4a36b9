"""The story blocks: rich content for a challenge's problem statement, and for the standard pages."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        required=False,
        max_length=250,
        help_text="Describe the image for people who cannot see it. Leave blank only if it is decorative.",
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(required=False, help_text="Defaults to the document's own title.")

    class Meta:
        icon = "doc-full"
        template = "blocks/document_link_block.html"


class KeyStatisticBlock(blocks.StructBlock):
    figure = blocks.CharBlock(max_length=30, help_text="For example: 4,134 or 16%.")
    label = blocks.CharBlock(max_length=200, help_text="What the figure measures.")
    source = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "pick"
        template = "blocks/key_statistic_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"


class StoryBlock(blocks.StreamBlock):
    """Rich content for problem statements and standard pages."""

    heading = blocks.CharBlock(
        form_classname="title", icon="title", template="blocks/heading_block.html", max_length=120
    )
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h3", "document-link"],
        template="blocks/paragraph_block.html",
    )
    image = ImageBlock()
    document = DocumentLinkBlock()
    key_statistic = KeyStatisticBlock()
    quote = QuoteBlock()
    embed = EmbedBlock(
        help_text="A video or other media from a supported provider.",
        icon="media",
        template="blocks/embed_block.html",
    )
