"""Search across the notes, questions and cards of every visible set."""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from learners.visitor import Visitor
from notes.models import StudySet
from search.documents import search as run_search
from search.forms import SearchForm
from search.matching import Query
from studysite.htmx import HtmxHttpRequest, render_partial


@require_GET
def search(request: HtmxHttpRequest) -> TemplateResponse:
    """Show matching passages, highlighted; htmx swaps only the results as you type."""
    form = SearchForm(request.GET)
    context = {"form": form, "hits": [], "query": ""}
    if not form.is_valid():
        return render_partial(
            request, "search/search.html", context, target="search-results", status=400
        )
    query = Query.parse(form.cleaned_data["q"])
    if query:
        study_sets = list(
            StudySet.objects.visible_to(Visitor.from_request(request)).prefetch_related(
                "notes", "questions", "cards"
            )
        )
        context.update(hits=run_search(query, study_sets), query=query.raw)
    return render_partial(request, "search/search.html", context, target="search-results")
