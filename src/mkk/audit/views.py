from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mkk.accounts import scoping
from mkk.core.paging import page_of, query_without_page

from . import presentation, privacy, selectors
from .forms import AuditFilterForm


@login_required
@require_GET
def audit_index(request):
    """Read-only audit log, filtered by user, object and date."""
    scoping.require(scoping.can_read_audit(request.user))
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.entries_for(request.user, **{k: v for k, v in filters.items() if v})
    page = page_of(request, entries.select_related("municipality", "actor"), 50)
    # Privacy's rule first (which values a reader may see), then the wording for people.
    page.object_list = privacy.redact(request.user, page.object_list)
    context = {
        "form": form,
        "page": page,
        "rows": presentation.rows(page.object_list),  # in people's words
        "query": query_without_page(request),
    }
    return render(request, "audit/index.html", context)
