"""Every route of the managers' judging pages in the Wagtail admin (``/admin/judging/``), in the order a manager
works; the judging viewset (admin_views/viewset.py) mounts them under the ``judging_admin`` namespace."""

from django.urls import path

from .admin_views.audit_log import AuditLogView
from .admin_views.coverage import AssignView, AutoAssignView, CoverageView, UnassignView
from .admin_views.decisions import AnnounceView, DecisionsView
from .admin_views.due_diligence import DueDiligenceChecksView, DueDiligenceListView, DueDiligenceProposalView
from .admin_views.index import JudgingIndexView
from .admin_views.panel import InvitationWithdrawView, PanelRemoveView, PanelView
from .admin_views.pitch import PitchAssignView, PitchAttendanceView, PitchIndexView, PitchView
from .admin_views.progression import ProgressionView
from .admin_views.proposal import ProposalFileView, ProposalView, ReviewReopenView
from .admin_views.results import ResultsExportView, ResultsView
from .admin_views.screening import ProposalsView

urlpatterns = [
    path("", JudgingIndexView.as_view(), name="index"),
    # Screening
    path("<int:challenge_id>/proposals/", ProposalsView.as_view(), name="proposals"),
    # The panel
    path("<int:challenge_id>/panel/", PanelView.as_view(), name="panel"),
    path(
        "<int:challenge_id>/panel/invitations/<int:invitation_id>/withdraw/",
        InvitationWithdrawView.as_view(),
        name="panel_invitation_withdraw",
    ),
    path("<int:challenge_id>/panel/<int:member_id>/remove/", PanelRemoveView.as_view(), name="panel_remove"),
    # Assignments
    path("<int:challenge_id>/assignments/", CoverageView.as_view(), name="coverage"),
    path("<int:challenge_id>/assignments/auto/", AutoAssignView.as_view(), name="assignments_auto"),
    path("<int:challenge_id>/assignments/add/", AssignView.as_view(), name="assignment_add"),
    path(
        "<int:challenge_id>/assignments/<int:assignment_id>/remove/", UnassignView.as_view(), name="assignment_remove"
    ),
    # Pitch stages: slots, who booked them, attendance
    path("<int:challenge_id>/pitch/", PitchIndexView.as_view(), name="pitch_index"),
    path("<int:challenge_id>/pitch/<int:stage_id>/", PitchView.as_view(), name="pitch"),
    path("<int:challenge_id>/pitch/<int:stage_id>/assign/", PitchAssignView.as_view(), name="pitch_assign"),
    path(
        "<int:challenge_id>/pitch/<int:stage_id>/slots/<int:slot_id>/attendance/",
        PitchAttendanceView.as_view(),
        name="pitch_attendance",
    ),
    # Results, one proposal, reopening a review
    path("<int:challenge_id>/results/", ResultsView.as_view(), name="results"),
    path("<int:challenge_id>/results.<str:export_format>/", ResultsExportView.as_view(), name="results_export"),
    path("<int:challenge_id>/proposals/<int:proposal_id>/", ProposalView.as_view(), name="proposal"),
    path(
        "<int:challenge_id>/proposals/<int:proposal_id>/files/<int:attachment_id>/",
        ProposalFileView.as_view(),
        name="proposal_file",
    ),
    path("<int:challenge_id>/reviews/<int:review_id>/reopen/", ReviewReopenView.as_view(), name="review_reopen"),
    # The end of a stage: taken forward, or not
    path("<int:challenge_id>/progression/", ProgressionView.as_view(), name="progression"),
    # Decisions and the announcement
    path("<int:challenge_id>/decisions/", DecisionsView.as_view(), name="decisions"),
    path("<int:challenge_id>/announce/", AnnounceView.as_view(), name="announce"),
    # Due diligence before an award
    path("<int:challenge_id>/due-diligence/", DueDiligenceListView.as_view(), name="due_diligence"),
    path("<int:challenge_id>/due-diligence/checks/", DueDiligenceChecksView.as_view(), name="due_diligence_checks"),
    path(
        "<int:challenge_id>/due-diligence/<int:proposal_id>/",
        DueDiligenceProposalView.as_view(),
        name="due_diligence_proposal",
    ),
    # The audit log
    path("<int:challenge_id>/audit/", AuditLogView.as_view(), name="audit"),
]
