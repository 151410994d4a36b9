"""The question blocks a challenge manager arranges into sections in Wagtail.

Each question's StreamField block id is its permanent identity: answers are
stored against it, so reordering or rewording a question never detaches an
answer, and the questions a proposal answered are snapshotted at submission.
"""

from wagtail import blocks

FILE_TYPE_CHOICES = [
    ("pdf", "PDF"),
    ("docx", "Word (.docx)"),
    ("xlsx", "Excel (.xlsx)"),
    ("pptx", "PowerPoint (.pptx)"),
    ("odt", "OpenDocument text (.odt)"),
    ("csv", "CSV"),
    ("png", "PNG image"),
    ("jpg", "JPEG image"),
]


class QuestionBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=300, help_text="The question, as the supplier reads it.")
    help_text = blocks.TextBlock(required=False, help_text="Guidance shown under the question.")
    required = blocks.BooleanBlock(required=False, default=True)
    prefill_from = blocks.CharBlock(
        required=False,
        max_length=300,
        label="Prefilled from",
        help_text="Later stages: the exact wording of a question in an earlier stage. Its answer starts this one.",
    )


class ShortTextQuestion(QuestionBlock):
    max_length = blocks.IntegerBlock(default=200, min_value=1, max_value=1000)

    class Meta:
        icon = "pilcrow"
        label = "Short text"


class LongTextQuestion(QuestionBlock):
    word_limit = blocks.IntegerBlock(default=500, min_value=1, max_value=5000)

    class Meta:
        icon = "doc-full"
        label = "Long text"


class NumberQuestion(QuestionBlock):
    min_value = blocks.DecimalBlock(required=False)
    max_value = blocks.DecimalBlock(required=False)
    unit = blocks.CharBlock(required=False, max_length=20, help_text="For example: £ or weeks.")

    class Meta:
        icon = "order"
        label = "Number"


class ChoiceQuestion(QuestionBlock):
    choices = blocks.ListBlock(blocks.CharBlock(max_length=200), min_num=2)

    class Meta:
        icon = "list-ul"


class YesNoQuestion(QuestionBlock):
    class Meta:
        icon = "tick"
        label = "Yes or no"


class DateQuestion(QuestionBlock):
    class Meta:
        icon = "date"
        label = "Date"


class FileQuestion(QuestionBlock):
    allowed_types = blocks.MultipleChoiceBlock(choices=FILE_TYPE_CHOICES, default=["pdf"])
    max_size_mb = blocks.IntegerBlock(default=10, min_value=1, max_value=50)

    class Meta:
        icon = "doc-full-inverse"
        label = "File upload"


class DeclarationQuestion(QuestionBlock):
    statement = blocks.TextBlock(help_text="What the supplier confirms by ticking the box.")

    class Meta:
        icon = "success"
        label = "Declaration"


class QuestionStreamBlock(blocks.StreamBlock):
    short_text = ShortTextQuestion()
    long_text = LongTextQuestion()
    number = NumberQuestion()
    single_choice = ChoiceQuestion(label="Single choice")
    multiple_choice = ChoiceQuestion(label="Multiple choice")
    yes_no = YesNoQuestion()
    date = DateQuestion()
    file = FileQuestion()
    declaration = DeclarationQuestion()


class SectionBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    description = blocks.TextBlock(required=False)
    questions = QuestionStreamBlock()

    class Meta:
        icon = "form"
        label = "Section"


class QuestionSetBlock(blocks.StreamBlock):
    section = SectionBlock()
