"""The public archive: search, suggestions for the search box, the winners gallery and a page per winner.

Everything here is public, so there is no permission to check: the archive holds only what may be published
(see archive.models). Views parse the address, call one selector and render; bad input is corrected by the
forms with a message, never refused.
"""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from . import search as archive_search
from . import selectors
from .forms import clean_text


@require_safe
def search(request):
    return render(request, "archive/search.html", selectors.archive_search(request.GET))


@require_safe
def suggestions(request):
    """Titles completing what has been typed, as a JSON list: the search box's optional enhancement."""
    response = JsonResponse(archive_search.suggest(clean_text(request.GET.get("q", ""))), safe=False)
    patch_cache_control(response, public=True, max_age=60)
    return response


@require_safe
def winners(request):
    return render(request, "archive/winners.html", selectors.winners_gallery(request.GET))


@require_safe
def winner(request, pk: int):
    winner = selectors.public_winner(pk)
    if winner is None:
        raise Http404("No published winner here.")
    return render(request, "archive/winner.html", {"winner": winner, "entry": winner.entry})
