"""Programs that fit a screening result (DESIGN §6, "Matching programs")."""

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from iop.geo import nearest_location, nearest_location_miles
from iop.models import Location, Program, ProgramService

# Age group answer → inclusive age range it covers.
AGE_RANGES = {
    "under_18": (12, 17),
    "18_25": (18, 25),
    "26_64": (26, 64),
    "65_plus": (65, 120),
}

# Screening payment answer → payment option slug in the catalogue.
PAYMENT_SLUGS = {
    "medicaid": "medicaid",
    "medicare": "medicare",
    "private": "private-insurance",
    "self_pay": "self-pay",
}

MAX_MATCHES = 10


# With a ZIP answer, programs with a location this close rank first, nearest first.
NEAR_MILES = 100


@dataclass
class Match:
    program: Program
    why: list[str] = field(default_factory=list)
    miles: float | None = None


def program_matches(
    *,
    level: str,
    age_group: str | None = None,
    remedies: frozenset[str] = frozenset(),
    payment: str | None = None,
    language: str | None = None,
    flags: frozenset[str] = frozenset(),
    near: tuple[float, float] | None = None,
    limit: int = MAX_MATCHES,
) -> list[Match]:
    """Published programs offering `level` for the person's age group, best fit first.

    Ranked by how many remedy services they offer, then payment, then language,
    then (when the person needs it) a flexible schedule and mental health care,
    then whether they are taking new patients. With `near` (the coordinates of the person's
    ZIP code, never stored), programs with a location within NEAR_MILES come first, nearest
    first, each with its distance; the others follow. A constant number of queries.
    """
    flexible = "flexible_schedule" in flags
    co_occurring = "co_occurring" in flags
    queryset = Program.objects.published().filter(levels__code=level)
    age_range = AGE_RANGES.get(age_group or "")
    if age_range:
        low, high = age_range
        queryset = queryset.filter(
            Q(age_min__lte=high), Q(age_max__isnull=True) | Q(age_max__gte=low)
        )

    payment_slug = PAYMENT_SLUGS.get(payment or "")
    # A correlated count, not Count() over a join: no GROUP BY over every candidate program.
    remedy_count = Coalesce(Subquery(
        ProgramService.objects.filter(program=OuterRef("pk"), service__slug__in=remedies)
        .order_by().values("program").annotate(n=Count("pk")).values("n"),
        output_field=IntegerField(),
    ), 0)
    queryset = queryset.annotate(
        remedy_count=remedy_count if remedies else Value(0, output_field=IntegerField()),
        pays=Exists(Program.payment_options.through.objects.filter(
            program=OuterRef("pk"), paymentoption__slug=payment_slug or ""
        )),
        speaks=Exists(Program.languages.through.objects.filter(
            program=OuterRef("pk"), language__code=language or ""
        )),
        flexible=Value(flexible)
        & (Q(schedule_evening=True) | Q(schedule_weekend=True) | Q(telehealth=True)),
        mental_health=Exists(ProgramService.objects.filter(
            program=OuterRef("pk"), service__slug="mental-health-care"
        )) & Value(co_occurring),
        open_rank=Case(
            When(accepting="yes", then=0), When(accepting="waitlist", then=1), default=2,
            output_field=IntegerField(),
        ),
    )
    ordering = [
        "-remedy_count", "-pays", "-speaks", "-flexible", "-mental_health", "open_rank", "name",
        "pk",
    ]
    if near:
        queryset = queryset.annotate(miles=nearest_location_miles(near, NEAR_MILES))
        ordering.insert(0, F("miles").asc(nulls_last=True))
    queryset = queryset.order_by(*ordering)
    queryset = queryset.prefetch_related(
        Prefetch(
            "program_services",
            queryset=ProgramService.objects.filter(service__slug__in=remedies).select_related(
                "service"
            ),
            to_attr="remedy_services",
        ),
        Prefetch("locations", queryset=Location.objects.order_by("pk")),
        "levels",
    )

    matches = []
    for program in queryset[:limit]:
        why = [_("Offers this level of care.")]
        miles = getattr(program, "miles", None)
        if miles is not None and miles <= NEAR_MILES:
            nearest = nearest_location(program, near)
            why.append(
                _("About %(miles)s miles from your ZIP code (%(city)s).")
                % {"miles": f"{miles:.1f}", "city": f"{nearest.city}, {nearest.state}"}
                if nearest else _("About %(miles)s miles from your ZIP code.")
                % {"miles": f"{miles:.1f}"}
            )
        elif near and program.telehealth:
            why.append(_("Offers video sessions you can join from home."))
        if age_range and (program.age_max is not None and program.age_max < 18):
            why.append(_("Made for young people."))
        for program_service in program.remedy_services:
            why.append(_("Offers: %(service)s.") % {"service": program_service.service.name})
        if payment_slug and program.pays:
            why.append(_("Accepts the payment you chose."))
        if language and program.speaks:
            why.append(_("Offers care in the language you chose."))
        if program.flexible:
            why.append(_("Has evening, weekend or video sessions that fit around daily life."))
        if program.mental_health:
            why.append(_("Treats mental health and substance use together."))
        matches.append(Match(program=program, why=why, miles=miles))
    return matches
