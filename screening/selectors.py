"""Programs that fit a screening result (DESIGN §6, "Matching programs")."""

from collections.abc import Iterable, Mapping
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

from iop.geo import (
    nearest_location,
    nearest_location_miles_within,
    program_ids_within,
    zip_lookup,
)
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


@dataclass
class MatchGroup:
    """Programs offering one level of care. ``after`` is set for the group of programs that
    offer the usual next step after the suggested level (for example IOP after residential)."""

    level: str
    matches: list[Match]
    after: str | None = None


def _ranked_programs(
    *,
    level: str,
    age_range: tuple[int, int] | None,
    needs: Mapping[str, frozenset[str]],
    payment_slug: str | None,
    language: str | None,
    flags: frozenset[str],
    near: tuple[float, float] | None,
    limit: int,
    exclude: Iterable[int] = (),
) -> list[Program]:
    """Published programs offering `level`, best fit first (see `program_matches`).
    One query, or two with `near` when fewer than `limit` programs are nearby."""
    queryset = Program.objects.published().filter(levels__code=level)
    exclude = list(exclude)
    if exclude:
        queryset = queryset.exclude(pk__in=exclude)
    if age_range:
        low, high = age_range
        queryset = queryset.filter(
            Q(age_min__lte=high), Q(age_max__isnull=True) | Q(age_max__gte=low)
        )

    def offers_any(slugs) -> Case:
        # An uncorrelated IN (...) that the database hashes once, not a count per candidate row.
        return Case(
            When(pk__in=ProgramService.objects.filter(service__slug__in=sorted(slugs))
                 .values("program_id"), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )

    # How many of the unmet requirements a program helps with (at least one of each
    # requirement's remedy services), then how many remedy services it offers in all.
    # (A program lists a service at most once: programservice_unique.)
    needs_met = Value(0, output_field=IntegerField())
    for key in sorted(needs):
        if needs[key]:
            needs_met = needs_met + offers_any(needs[key])
    remedy_count = Value(0, output_field=IntegerField())
    for slug in sorted(frozenset().union(*needs.values())):
        remedy_count = remedy_count + offers_any([slug])
    queryset = queryset.annotate(
        needs_met=needs_met,
        remedy_count=remedy_count,
        pays=Exists(Program.payment_options.through.objects.filter(
            program=OuterRef("pk"), paymentoption__slug=payment_slug or ""
        )),
        speaks=Exists(Program.languages.through.objects.filter(
            program=OuterRef("pk"), language__code=language or ""
        )),
        flexible=Value("flexible_schedule" in flags)
        & (Q(schedule_evening=True) | Q(schedule_weekend=True) | Q(telehealth=True)),
        mental_health=Value("co_occurring" in flags) & Q(pk__in=ProgramService.objects.filter(
            service__slug="mental-health-care"
        ).values("program_id")),
        open_rank=Case(
            When(accepting="yes", then=0), When(accepting="waitlist", then=1), default=2,
            output_field=IntegerField(),
        ),
    )
    ordering = [
        "-needs_met", "-remedy_count", "-pays", "-speaks", "-flexible", "-mental_health",
        "open_rank", "name", "pk",
    ]
    queryset = queryset.defer(*SEARCH_DOCUMENT_FIELDS)
    if not near:
        return list(queryset.order_by(*ordering)[:limit])
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
    return programs


def _prefetch(programs: list[Program], remedies: frozenset[str]) -> None:
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


def _match(
    program: Program,
    *,
    offers: str,
    age_range: tuple[int, int] | None,
    payment_slug: str | None,
    language: str | None,
    near: tuple[float, float] | None,
) -> Match:
    """One program with the reasons it may fit; `offers` is the first reason."""
    why = [offers]
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
    return Match(program=program, why=why, miles=miles)


def _level_name(program: Program, code: str, names: Mapping[str, str]) -> str:
    for level in program.levels.all():  # prefetched
        if level.code == code:
            return level.name
    return names.get(code, code)


def program_matches(
    *,
    level: str,
    age_group: str | None = None,
    needs: Mapping[str, Iterable[str]] | None = None,
    payment: str | None = None,
    language: str | None = None,
    flags: frozenset[str] = frozenset(),
    near: tuple[float, float] | None = None,
    limit: int = MAX_MATCHES,
) -> list[Match]:
    """Published programs offering `level` for the person's age group, best fit first.

    `needs` maps each unmet requirement to its remedy services. Ranked first by how many of
    those requirements a program helps with (DESIGN §6: remedies for each unmet requirement),
    then by how many remedy services it offers, then payment, then language, then (when the
    person needs it) a flexible schedule and mental health care, then whether they are taking
    new patients. With `near` (the coordinates of the person's ZIP code, never stored),
    programs with a location within NEAR_MILES come first, nearest first, each with its
    distance; the others follow. A constant number of queries.
    """
    return result_matches(
        level=level, age_group=age_group, needs=needs, payment=payment, language=language,
        flags=flags, near=near, limit=limit,
    )[0].matches


def result_matches(
    *,
    level: str,
    next_step: str | None = None,
    level_names: Mapping[str, str] | None = None,
    age_group: str | None = None,
    needs: Mapping[str, Iterable[str]] | None = None,
    payment: str | None = None,
    language: str | None = None,
    flags: frozenset[str] = frozenset(),
    near: tuple[float, float] | None = None,
    limit: int = MAX_MATCHES,
) -> list[MatchGroup]:
    """The programs for a screening result, in groups.

    First the programs that offer the suggested `level`; then, when the result names a usual
    next step (IOP after medically managed withdrawal or residential care), a second group of
    programs that offer `next_step`, for afterwards. Both ranked as in `program_matches`; a
    program already in the first group is not repeated. The same queries whatever the size of
    the catalogue (one or two per group, three to read services, locations and levels).
    """
    names = level_names or {}
    needs = {key: frozenset(slugs) for key, slugs in (needs or {}).items()}
    remedies = frozenset().union(*needs.values())
    age_range = AGE_RANGES.get(age_group or "")
    payment_slug = PAYMENT_SLUGS.get(payment or "")
    ranking = {
        "age_range": age_range, "needs": needs, "payment_slug": payment_slug,
        "language": language, "flags": flags, "near": near, "limit": limit,
    }
    first = _ranked_programs(level=level, **ranking)
    later = (
        _ranked_programs(level=next_step, exclude=[p.pk for p in first], **ranking)
        if next_step and next_step != level else []
    )
    _prefetch(first + later, remedies)

    details = {"age_range": age_range, "payment_slug": payment_slug, "language": language,
               "near": near}
    groups = []
    matches = []
    for program in first:
        match = _match(
            program,
            offers=_("Offers %(level)s.") % {"level": _level_name(program, level, names)},
            **details,
        )
        if next_step and next_step != level and any(
            lv.code == next_step for lv in program.levels.all()
        ):
            match.why.insert(1, _(
                "Also offers %(next)s, the usual next step, so you could stay with the same team."
            ) % {"next": _level_name(program, next_step, names)})
        matches.append(match)
    groups.append(MatchGroup(level=level, matches=matches))
    if next_step and next_step != level:
        groups.append(MatchGroup(
            level=next_step,
            after=level,
            matches=[
                _match(
                    program,
                    offers=_("Offers %(next)s, the usual next step after %(level)s.") % {
                        "next": _level_name(program, next_step, names),
                        "level": names.get(level, level),
                    },
                    **details,
                )
                for program in later
            ],
        ))
    return groups


def recommendation_matches(
    *,
    recommendation,
    level_names: Mapping[str, str] | None = None,
    age_group: str | None = None,
    payment: str | None = None,
    language: str | None = None,
    zip_code: str | None = None,
) -> list[MatchGroup]:
    """The program groups for an engine `Recommendation` and the optional extras: what the
    result page and `manage.py screen` both list. `zip_code` must already be validated
    (ExtrasForm); it is only turned into coordinates here and never stored."""
    point = zip_lookup(zip_code) if isinstance(zip_code, str) and zip_code else None
    return result_matches(
        level=recommendation.level,
        next_step=recommendation.next_step,
        level_names=level_names,
        age_group=age_group,
        needs={item.key: item.remedies for item in recommendation.unmet_requirements},
        payment=payment or None,
        language=language or None,
        flags=frozenset(recommendation.flags),
        near=point.coordinates if point else None,
    )
