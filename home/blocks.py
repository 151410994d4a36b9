"""The home page's own blocks. Its story blocks are the challenges' (``challenges.blocks.story``)."""

from wagtail import blocks


class AudienceBlock(blocks.StructBlock):
    """One "how it works" panel on the home page: who it is for and what they do."""

    audience = blocks.CharBlock(max_length=60, help_text="For example: Suppliers.")
    summary = blocks.TextBlock()
    steps = blocks.ListBlock(blocks.CharBlock(max_length=200))

    class Meta:
        icon = "group"
        template = "blocks/audience_block.html"
