"""The challenge manager's side, in the Wagtail admin: the questions about their challenges, and answering one.

A manager sees and answers only questions about challenges they may publish. The asker's identity is not
shown here either: a reply is written to the question, not to a supplier.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from challenges.selectors import request_manages_any_challenge

from .forms import AnswerForm
from .models import ClarificationQuestion
from .permissions import can_answer, can_review_questions
from .selectors import questions_for_manager
from .services import clarification_answer, clarification_decline


class QuestionIndexView(IndexView):
    model = ClarificationQuestion
    # Access follows the challenge pages' publish permission (permissions.py), not model permissions.
    permission_policy = None
    any_permission_required = None
    page_title = "Clarification questions"
    header_icon = "help"
    paginate_by = 50
    default_ordering = "-asked_at"
    list_filter = ["status"]
    search_fields = ["question"]
    answer_url_name = None

    def dispatch(self, request, *args, **kwargs):
        allowed, reason = can_review_questions(request.user)
        if not allowed:
            raise PermissionDenied(reason)
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return questions_for_manager(self.request.user)

    @cached_property
    def columns(self):
        return [
            TitleColumn("question", accessor="__str__", label="Question", url_name=self.answer_url_name),
            Column("challenge", label="Challenge", accessor="challenge.title", sort_key="challenge__title"),
            Column("status", label="Status", accessor="get_status_display", sort_key="status"),
            DateColumn("asked_at", label="Asked", sort_key="asked_at"),
        ]

    def get_add_url(self):
        return None


class AnswerView(WagtailAdminTemplateMixin, FormView):
    template_name = "clarifications/admin/answer.html"
    form_class = AnswerForm
    header_icon = "help"
    index_url_name = None

    def dispatch(self, request, *args, **kwargs):
        self.clarification = get_object_or_404(
            ClarificationQuestion.objects.select_related("challenge", "published_faq"), pk=kwargs["pk"]
        )
        allowed, reason = can_answer(request.user, self.clarification)
        if not allowed:
            raise PermissionDenied(reason)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return "Answer a question"

    def get_page_subtitle(self):
        return self.clarification.challenge.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": "Clarification questions"},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_initial(self):
        clarification = self.clarification
        faq = clarification.published_faq
        return {
            "answer": clarification.answer,
            "faq_question": faq.question if faq else clarification.question,
            "publish": faq is not None or clarification.status == ClarificationQuestion.Status.NEW,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            clarification=self.clarification,
            action_url=self.request.path,
            can_decline=self.clarification.status != ClarificationQuestion.Status.ANSWERED,
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        first_reply = self.clarification.status == ClarificationQuestion.Status.NEW
        try:
            if self.request.POST.get("action") == AnswerForm.DECLINE:
                clarification_decline(clarification=self.clarification, by=self.request.user, reason=data["answer"])
                message = "Question declined."
            else:
                clarification_answer(
                    clarification=self.clarification,
                    by=self.request.user,
                    answer=data["answer"],
                    publish=data["publish"],
                    faq_question=data["faq_question"],
                )
                message = "Answer published on the challenge page." if data["publish"] else "Answer saved."
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        if first_reply:
            message += " The asker has been emailed."
        messages.success(self.request, message)
        return redirect(self.index_url_name)


class ClarificationViewSet(ViewSet):
    """Registered from wagtail_hooks; the menu item shows only to people with questions to answer."""

    name = "clarification_questions"
    url_prefix = "clarification-questions"
    icon = "help"
    menu_label = "Clarification questions"
    menu_order = 260
    add_to_admin_menu = True

    @cached_property
    def menu_item_class(self):
        class ClarificationMenuItem(MenuItem):
            def is_shown(self, request):
                return request.user.is_superuser or request_manages_any_challenge(request)

        return ClarificationMenuItem

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            index_url_name=self.get_url_name("index"),
            index_results_url_name=self.get_url_name("index_results"),
            answer_url_name=self.get_url_name("answer"),
            header_icon=self.icon,
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            path("", self.construct_view(QuestionIndexView), name="index"),
            path("results/", self.construct_view(QuestionIndexView, results_only=True), name="index_results"),
            path("<int:pk>/answer/", self.construct_view(AnswerView), name="answer"),
        ]
