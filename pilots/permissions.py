"""Who may do what with a pilot. Each returns ``(allowed, reason)``; views check exactly one, services check it
again.

The challenge's managers set a pilot up, review its reports and change its status. Members of the organisation
that won the award write its reports. Nobody else sees a pilot's reports or evidence: the public reads only the
scorecard (``pilots.selectors.public``).
"""

from judging.permissions import can_manage
from submissions.permissions import is_member

from .models import ReportStatus
from .workflow import EDITABLE

NOT_YOURS = "Only members of the organisation that won this award can see its pilot reports."


def can_manage_pilot(user, pilot) -> tuple[bool, str]:
    return can_manage(user, pilot.decision.proposal.challenge)


def can_see_reports(user, pilot) -> tuple[bool, str]:
    """The winning organisation's members, and the challenge's managers."""
    if is_member(user, pilot.decision.proposal.organisation):
        return True, ""
    if can_manage_pilot(user, pilot)[0]:
        return True, ""
    return False, NOT_YOURS


def can_write_report(user, report) -> tuple[bool, str]:
    """A member of the winning organisation, while the report is a draft or sent back, and the pilot runs."""
    pilot = report.milestone.pilot
    if not is_member(user, pilot.decision.proposal.organisation):
        return False, NOT_YOURS
    if pilot.is_ended:
        return False, (
            f"This pilot is {pilot.get_status_display().lower()}, so its reports can no longer change. "
            "Contact the challenge's managers if something needs correcting."
        )
    if report.status not in EDITABLE:
        if report.status == ReportStatus.ACCEPTED:
            return False, f"Your report on {report.milestone.name} has been accepted, so it can no longer change."
        return False, (
            f"Your report on {report.milestone.name} is with the challenge's managers. You can change it if they "
            "ask for changes."
        )
    return True, ""


def can_review_report(user, report) -> tuple[bool, str]:
    allowed, reason = can_manage_pilot(user, report.milestone.pilot)
    if not allowed:
        return allowed, reason
    if report.status != ReportStatus.SUBMITTED:
        return False, f"Only a submitted report can be reviewed; this one is {report.get_status_display().lower()}."
    return True, ""
