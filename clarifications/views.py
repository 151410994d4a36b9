"""The supplier's side: ask a question about an open challenge, and see your questions and their answers.

Views read input, check one permission, call one service and render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from challenges.models import ChallengePage
from core.pagination import page_links

from . import services
from .forms import QuestionForm
from .permissions import can_ask
from .selectors import questions_asked_by

QUESTIONS_PER_PAGE = 20


@login_required
def ask(request, challenge_id: int):
    challenge = get_object_or_404(ChallengePage.objects.live().public(), pk=challenge_id)
    allowed, reason = can_ask(request.user, challenge)
    if not allowed:
        return render(request, "clarifications/closed.html", {"challenge": challenge, "reason": reason}, status=403)

    form = QuestionForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.clarification_ask(challenge=challenge, by=request.user, question=form.cleaned_data["question"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your question has been sent. We'll email you when it is answered.")
            return redirect(challenge.get_url(request) or "/")
    return render(
        request,
        "clarifications/ask.html",
        {"challenge": challenge, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def mine(request):
    page_obj = Paginator(questions_asked_by(request.user), QUESTIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page_obj": page_obj, "pagination": page_links(page_obj), "questions": page_obj.object_list}
    return render(request, "clarifications/mine.html", context)
