"""Read queries for the catalogue. Views call these; nothing here renders."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from iop.models import LevelOfCare, Location, Program, ProgramService


def program_search(queryset: QuerySet[Program], text: str) -> QuerySet[Program]:
    """Every word must appear in the name, organisation, summary, description,
    a service name or a location's city (case-insensitive)."""
    for word in text.split()[:10]:
        service_match = ProgramService.objects.filter(
            program=OuterRef("pk"), service__name__icontains=word
        )
        city_match = Location.objects.filter(program=OuterRef("pk"), city__icontains=word)
        queryset = queryset.filter(
            Q(name__icontains=word)
            | Q(organisation__icontains=word)
            | Q(summary__icontains=word)
            | Q(description__icontains=word)
            | Exists(service_match)
            | Exists(city_match)
        )
    return queryset


def program_list_base() -> QuerySet[Program]:
    """Published programs with what a list card shows, in a constant number of queries."""
    return (
        Program.objects.published()
        .prefetch_related(
            Prefetch("levels", queryset=LevelOfCare.objects.only("code", "rank", "name")),
            Prefetch("locations", queryset=Location.objects.order_by("pk")),
        )
        .order_by("name", "pk")
    )


def program_detail_queryset() -> QuerySet[Program]:
    return Program.objects.published().prefetch_related(
        "levels",
        Prefetch(
            "program_services",
            queryset=ProgramService.objects.select_related("service").order_by(
                "service__category", "service__name"
            ),
        ),
        "populations",
        "languages",
        "payment_options",
        "accreditations",
        Prefetch("locations", queryset=Location.objects.order_by("pk")),
    )


def level_list() -> QuerySet[LevelOfCare]:
    return LevelOfCare.objects.order_by("rank")
