"""Public catalogue pages. Views are thin: validate, call a selector, render."""

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from iop.filters import ProgramFilter
from iop.models import LevelOfCare
from iop.selectors import level_list, program_detail_queryset, program_list_base


@require_GET
def home(request):
    return render(request, "iop/home.html", {"levels": level_list()})


@require_GET
def about_iop(request):
    iop_level = LevelOfCare.objects.filter(code="iop").first()
    return render(request, "iop/about_iop.html", {"iop": iop_level})


@require_GET
def level_list_view(request):
    return render(request, "iop/level_list.html", {"levels": level_list()})


@require_GET
def level_detail(request, code):
    level = get_object_or_404(LevelOfCare, code=code)
    levels = list(level_list())
    return render(request, "iop/level_detail.html", {"level": level, "levels": levels})


@require_GET
def program_list(request):
    program_filter = ProgramFilter(request.GET or None, queryset=program_list_base())
    queryset = program_filter.qs if program_filter.is_bound else program_list_base()
    paginator = Paginator(queryset, settings.PROGRAMS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "iop/program_list.html",
        {"filter": program_filter, "form": program_filter.form, "page": page,
         "programs": page.object_list, "total": paginator.count},
    )


@require_GET
def program_detail(request, slug):
    program = get_object_or_404(program_detail_queryset(), slug=slug)
    groups = {}
    for program_service in program.program_services.all():
        groups.setdefault(program_service.service.get_category_display(), []).append(
            program_service
        )
    return render(
        request, "iop/program_detail.html", {"program": program, "service_groups": groups}
    )


@never_cache
def healthz(request):
    """The process is up. Touches nothing else."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request):
    """The database and the cache answer."""
    checks = {}
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means not ready
        checks["database"] = "unavailable"
    try:
        cache.set("readyz", "1", 5)
        checks["cache"] = "ok" if cache.get("readyz") == "1" else "unavailable"
    except Exception:  # noqa: BLE001
        checks["cache"] = "unavailable"
    ok = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", **checks}, status=200 if ok else 503
    )
