"""The scoring rubric a challenge manager defines beside the question set."""

from wagtail import blocks


class CriterionBlock(blocks.StructBlock):
    name = blocks.CharBlock(max_length=120)
    guidance = blocks.TextBlock(required=False, help_text="What judges should look for.")
    weight = blocks.DecimalBlock(default=1, min_value=0, max_digits=5, decimal_places=2)
    scale_max = blocks.IntegerBlock(default=5, min_value=1, max_value=10, help_text="Scores run from 0 to this.")
    levels = blocks.ListBlock(
        blocks.CharBlock(max_length=200),
        required=False,
        help_text="What each score means, from 0 upwards.",
    )
    comment_required = blocks.BooleanBlock(required=False, default=True)

    class Meta:
        icon = "pick"
        label = "Criterion"


class RubricBlock(blocks.StreamBlock):
    criterion = CriterionBlock()
