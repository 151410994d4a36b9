from django import forms

from .models import MAX_QUESTION_LENGTH


class QuestionForm(forms.Form):
    """The supplier's question. Its length is checked by the service, after line breaks are normalised, so
    the limit matches the character count shown while typing."""

    question = forms.CharField(label="Your question", error_messages={"required": "Enter your question"})

    max_length = MAX_QUESTION_LENGTH


class AnswerForm(forms.Form):
    """A manager's reply: an answer, optionally published on the challenge page, or a note declining."""

    ANSWER = "answer"
    DECLINE = "decline"

    answer = forms.CharField(
        label="Answer",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Plain text; blank lines start new paragraphs. When declining, this is the note sent to the asker.",
    )
    faq_question = forms.CharField(
        label="Question as it will appear on the challenge page",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Reword it if it names the asker or their organisation. At most 300 characters.",
    )
    publish = forms.BooleanField(
        label="Publish on the challenge page's frequently asked questions",
        required=False,
        initial=True,
        help_text="The asker is emailed either way; their name is never published.",
    )
