"""Forms for pitch stages: the manager's bulk slot form and assignment, a supplier's choice of slot, attendance.

Forms only parse and say what is missing; the rules that depend on other rows (overlaps, a slot just taken, the
booking cutoff) are the services' (``judging.services.pitch``), whose messages the views put on the right field.
"""

from django import forms

from .models import Attendance

LOCAL_DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


class PitchSlotsForm(forms.Form):
    count = forms.IntegerField(
        label="Number of slots",
        min_value=1,
        max_value=100,
        error_messages={"required": "Enter the number of slots", "invalid": "Enter the number of slots as a number"},
    )
    minutes = forms.IntegerField(
        label="Length in minutes",
        min_value=1,
        max_value=24 * 60,
        error_messages={"required": "Enter how long each slot is, in minutes", "invalid": "Enter minutes as a number"},
    )
    gap_minutes = forms.IntegerField(
        label="Break between slots",
        help_text="In minutes. 0 for back-to-back slots.",
        min_value=0,
        max_value=24 * 60,
        initial=0,
        required=False,
        error_messages={"invalid": "Enter the break in minutes, as a number"},
    )
    starts_at = forms.DateTimeField(
        label="First slot starts",
        help_text="UK time, for example 4 May 2027 at 10:00.",
        input_formats=LOCAL_DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "Enter when the first slot starts", "invalid": "Enter a real date and time"},
    )
    location = forms.CharField(
        label="Location",
        help_text='For example "Council House, Committee Room 2". Give a location, a video link, or both.',
        max_length=200,
        required=False,
    )
    video_link = forms.URLField(
        label="Video link",
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the video link as a web address, like https://meet.example/abc"},
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("location") and not cleaned.get("video_link") and "video_link" not in self.errors:
            self.add_error("location", "Enter a location or a video link")
        return cleaned


class PitchBookingForm(forms.Form):
    """The slot is checked against the stage's slots by the view, so a slot taken since the page was shown gets
    the service's "just been booked" message rather than a bare "not a valid choice"."""

    slot = forms.IntegerField(
        label="Choose a pitch slot",
        min_value=1,
        error_messages={
            "required": "Choose a pitch slot",
            "invalid": "Choose one of the pitch slots listed",
            "min_value": "Choose one of the pitch slots listed",
        },
    )


class PitchAssignForm(forms.Form):
    proposal = forms.TypedChoiceField(
        label="Organisation", coerce=int, error_messages={"required": "Choose the organisation to give a slot to"}
    )
    slot = forms.TypedChoiceField(label="Slot", coerce=int, error_messages={"required": "Choose a slot"})

    def __init__(self, *args, proposals, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].choices = [("", "Choose an organisation")] + [
            (proposal.pk, f"{proposal.organisation.name} ({proposal.reference})") for proposal in proposals
        ]
        self.fields["slot"].choices = [("", "Choose a slot")] + [(slot.pk, slot.label) for slot in slots]


class PitchAttendanceForm(forms.Form):
    attendance = forms.ChoiceField(
        label="Attendance",
        choices=[(Attendance.ATTENDED, "Attended"), (Attendance.NO_SHOW, "Did not attend (no-show)")],
        error_messages={"required": "Choose whether the organisation attended"},
    )
