"""Programs that fit a screening result (DESIGN §6, "Matching programs")."""

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
    prefetch_related_objects,
)
from django.utils.translation import gettext as _

from iop.geo import nearest_location, nearest_location_miles_within, program_ids_within
from iop.models import Location, Program, ProgramService
from iop.selectors import SEARCH_DOCUMENT_FIELDS

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
    # How many of the remedy services a program offers: one "offers it" test per remedy, each
    # an uncorrelated IN (...) that the database hashes once, not a count per candidate row.
    # (A program lists a service at most once: programservice_unique.)
    remedy_count = Value(0, output_field=IntegerField())
    for slug in sorted(remedies):
        remedy_count = remedy_count + Case(
            When(pk__in=ProgramService.objects.filter(service__slug=slug).values("program_id"),
                 then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    queryset = queryset.annotate(
        remedy_count=remedy_count,
        pays=Exists(Program.payment_options.through.objects.filter(
            program=OuterRef("pk"), paymentoption__slug=payment_slug or ""
        )),
        speaks=Exists(Program.languages.through.objects.filter(
            program=OuterRef("pk"), language__code=language or ""
        )),
        flexible=Value(flexible)
        & (Q(schedule_evening=True) | Q(schedule_weekend=True) | Q(telehealth=True)),
        mental_health=Value(co_occurring) & Q(pk__in=ProgramService.objects.filter(
            service__slug="mental-health-care"
        ).values("program_id")),
        open_rank=Case(
            When(accepting="yes", then=0), When(accepting="waitlist", then=1), default=2,
            output_field=IntegerField(),
        ),
    )
    ordering = [
        "-remedy_count", "-pays", "-speaks", "-flexible", "-mental_health", "open_rank", "name",
        "pk",
    ]
    queryset = queryset.defer(*SEARCH_DOCUMENT_FIELDS)
    if near:
        # Nearby programs (a location in the box around the ZIP code) come first, nearest first;
        # the distance is only computed for them. The others, ranked without distance, are only
        # read when fewer than `limit` programs are nearby.
        nearby_ids = program_ids_within(near, NEAR_MILES)
        programs = list(
            queryset.filter(pk__in=nearby_ids)
            .annotate(miles=nearest_location_miles_within(near, NEAR_MILES))
            .order_by("miles", *ordering)[:limit]
        )
        if len(programs) < limit:
            programs += queryset.exclude(pk__in=nearby_ids).order_by(*ordering)[
                :limit - len(programs)
            ]
    else:
        programs = list(queryset.order_by(*ordering)[:limit])
    prefetch_related_objects(
        programs,
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
    for program in programs:
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
