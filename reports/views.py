from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from iop.models import Program
from reports import ratelimit
from reports.forms import ListingReportForm
from reports.services import report_create


def _program(slug):
    return get_object_or_404(Program.objects.published().only("id", "name", "slug"), slug=slug)


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def report_form(request, slug):
    """The public "Report a problem with this listing" form: anonymous, no JavaScript needed."""
    program = _program(slug)
    status = 200
    if request.method == "POST":
        form = ListingReportForm(request.POST)
        if ratelimit.is_limited(request):
            form.is_valid()  # keep what was typed on the page
            form.add_error(None, ValidationError(
                _("Several reports came from here in a short time, so we could not take this "
                  "one. Please try again in an hour."), code="rate_limited"))
            status = 429
        elif form.is_valid():
            report_create(program=program, **form.cleaned_data)
            ratelimit.hit(request)
            return redirect("reports:sent", slug=program.slug)
    else:
        form = ListingReportForm()
    return render(request, "reports/report_form.html", {"program": program, "form": form},
                  status=status)


@require_safe
def report_sent(request, slug):
    return render(request, "reports/report_sent.html", {"program": _program(slug)})
