"""Programs that fit a screening result (DESIGN §6, "Matching programs")."""

from collections.abc import Iterable, Mapping, Sequence
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
from django.utils.translation import gettext_lazy as _lazy

from iop.geo import (
    nearest_location,
    nearest_location_miles_within,
    program_ids_within,
    zip_lookup,
)
from iop.models import Location, Population, Program, ProgramService
from iop.selectors import SEARCH_DOCUMENT_FIELDS
from screening import engine

#: Program features a flag can rank first (engine.RANK_FEATURES) → the program field holding it.
FEATURE_FIELDS = {
    "evening": "schedule_evening",
    "weekend": "schedule_weekend",
    "telehealth": "telehealth",
    "buprenorphine": "offers_buprenorphine",
    "methadone": "offers_methadone",
    "naltrexone": "offers_naltrexone",
}
FEATURE_LABELS = {
    "evening": _lazy("Has evening sessions."),
    "weekend": _lazy("Has weekend sessions."),
    "telehealth": _lazy("Offers video sessions you can join from home."),
    "buprenorphine": _lazy("Offers buprenorphine."),
    "methadone": _lazy("Offers methadone."),
    "naltrexone": _lazy("Offers naltrexone."),
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
    hints: Sequence[engine.Flag],
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
    # How many of the flags' matching hints a program meets (a flag counts once, whichever
    # of its services, populations or features the program has).
    hints_met = Value(0, output_field=IntegerField())
    for flag in hints:
        condition = Q(pk__in=[])
        if flag.rank_services:
            condition |= Q(pk__in=ProgramService.objects.filter(
                service__slug__in=sorted(flag.rank_services)).values("program_id"))
        if flag.rank_populations:
            condition |= Q(pk__in=Program.populations.through.objects.filter(
                population__slug__in=sorted(flag.rank_populations)).values("program_id"))
        for feature in flag.rank_features:
            if feature in FEATURE_FIELDS:
                condition |= Q(**{FEATURE_FIELDS[feature]: True})
        hints_met = hints_met + Case(
            When(condition, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    queryset = queryset.annotate(
        needs_met=needs_met,
        remedy_count=remedy_count,
        pays=Exists(Program.payment_options.through.objects.filter(
            program=OuterRef("pk"), paymentoption__slug=payment_slug or ""
        )),
        speaks=Exists(Program.languages.through.objects.filter(
            program=OuterRef("pk"), language__code=language or ""
        )),
        hints_met=hints_met,
        open_rank=Case(
            When(accepting="yes", then=0), When(accepting="waitlist", then=1), default=2,
            output_field=IntegerField(),
        ),
    )
    ordering = [
        "-needs_met", "-remedy_count", "-pays", "-speaks", "-hints_met", "open_rank", "name",
        "pk",
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


def _prefetch(programs: list[Program], remedies: frozenset[str],
              hints: Sequence[engine.Flag]) -> None:
    hint_services = frozenset(slug for flag in hints for slug in flag.rank_services)
    hint_populations = frozenset(slug for flag in hints for slug in flag.rank_populations)
    prefetch_related_objects(
        programs,
        Prefetch(
            "program_services",
            queryset=ProgramService.objects.filter(
                service__slug__in=sorted(remedies | hint_services)
            ).select_related("service").order_by("service__name"),
            to_attr="listed_services",
        ),
        Prefetch(
            "populations",
            queryset=Population.objects.filter(slug__in=sorted(hint_populations)),
            to_attr="hint_populations",
        ),
        Prefetch("locations", queryset=Location.objects.order_by("pk")),
        "levels",
    )


def _match(
    program: Program,
    *,
    offers: str,
    age_range: tuple[int, int] | None,
    remedies: frozenset[str],
    payment_slug: str | None,
    language: str | None,
    hints: Sequence[engine.Flag],
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
    shown = set(why)

    def add(line: str) -> None:
        if line not in shown:
            shown.add(line)
            why.append(line)

    for program_service in program.listed_services:
        if program_service.service.slug in remedies:
            add(_("Offers: %(service)s.") % {"service": program_service.service.name})
    if payment_slug and program.pays:
        add(_("Accepts the payment you chose."))
    if language and program.speaks:
        add(_("Offers care in the language you chose."))
    for flag in hints:
        for program_service in program.listed_services:
            if program_service.service.slug in flag.rank_services:
                add(_("Offers: %(service)s.") % {"service": program_service.service.name})
        for population in program.hint_populations:
            if population.slug in flag.rank_populations:
                add(_("Serves: %(population)s.") % {"population": population.name})
        for feature in flag.rank_features:
            if feature in FEATURE_FIELDS and getattr(program, FEATURE_FIELDS[feature]):
                add(str(FEATURE_LABELS[feature]))
    return Match(program=program, why=why, miles=miles)


def _level_name(program: Program, code: str, names: Mapping[str, str]) -> str:
    for level in program.levels.all():  # prefetched
        if level.code == code:
            return level.name
    return names.get(code, code)


def program_matches(
    *,
    level: str,
    age_range: tuple[int, int] | None = None,
    needs: Mapping[str, Iterable[str]] | None = None,
    payment_slug: str | None = None,
    language: str | None = None,
    hints: Sequence[engine.Flag] = (),
    near: tuple[float, float] | None = None,
    limit: int = MAX_MATCHES,
) -> list[Match]:
    """Published programs offering `level` for the person's ages, best fit first.

    `needs` maps each unmet requirement to its remedy services. Ranked first by how many of
    those requirements a program helps with (DESIGN §6: remedies for each unmet requirement),
    then by how many remedy services it offers, then payment, then language, then by how many
    of the flags' matching hints (`hints`: services, populations, features) it meets, then
    whether they are taking new patients. With `near` (the coordinates of the person's ZIP
    code, never stored), programs with a location within NEAR_MILES come first, nearest first,
    each with its distance; the others follow. A constant number of queries.
    """
    return result_matches(
        level=level, age_range=age_range, needs=needs, payment_slug=payment_slug,
        language=language, hints=hints, near=near, limit=limit,
    )[0].matches


def result_matches(
    *,
    level: str,
    next_step: str | None = None,
    level_names: Mapping[str, str] | None = None,
    age_range: tuple[int, int] | None = None,
    needs: Mapping[str, Iterable[str]] | None = None,
    payment_slug: str | None = None,
    language: str | None = None,
    hints: Sequence[engine.Flag] = (),
    near: tuple[float, float] | None = None,
    limit: int = MAX_MATCHES,
) -> list[MatchGroup]:
    """The programs for a screening result, in groups.

    First the programs that offer the suggested `level`; then, when the result names a usual
    next step (IOP after medically managed withdrawal or residential care), a second group of
    programs that offer `next_step`, for afterwards. Both ranked as in `program_matches`; a
    program already in the first group is not repeated. The same queries whatever the size of
    the catalogue (one or two per group, four to read services, populations, locations and
    levels).
    """
    names = level_names or {}
    needs = {key: frozenset(slugs) for key, slugs in (needs or {}).items()}
    remedies = frozenset().union(*needs.values())
    hints = tuple(flag for flag in hints if flag.ranks)
    ranking = {
        "age_range": age_range, "needs": needs, "payment_slug": payment_slug,
        "language": language, "hints": hints, "near": near, "limit": limit,
    }
    first = _ranked_programs(level=level, **ranking)
    later = (
        _ranked_programs(level=next_step, exclude=[p.pk for p in first], **ranking)
        if next_step and next_step != level else []
    )
    _prefetch(first + later, remedies, hints)

    details = {"age_range": age_range, "remedies": remedies, "payment_slug": payment_slug,
               "language": language, "hints": hints, "near": near}
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


@dataclass(frozen=True)
class MatchingAnswers:
    """What of a person's answers ranks programs, read through the questionnaire's data:
    the age range of the age answer, the catalogue payment option and language of the extras,
    and the ZIP code's coordinates. Nothing here is stored."""

    age_range: tuple[int, int] | None = None
    payment_slug: str | None = None
    language: str | None = None
    near: tuple[float, float] | None = None


def matching_answers(
    questionnaire: engine.Questionnaire,
    answers: Mapping[str, Sequence[str] | str],
    extras: Mapping[str, str],
) -> MatchingAnswers:
    """``answers``: question key → value(s); ``extras``: extra key → value, already checked
    (ExtrasForm); the ZIP code is only turned into coordinates here."""
    age_range = None
    for key, values in answers.items():
        if not questionnaire.has_question(key):
            continue
        question = questionnaire.question(key)
        for value in [values] if isinstance(values, str) else values:
            if value not in question.values:
                continue
            option = question.option(value)
            if option.age_min is not None or option.age_max is not None:
                age_range = (option.age_min or 0, option.age_max or 120)
    payment_slug = language = near = None
    for extra in questionnaire.extras:
        value = extras.get(extra.key)
        if not isinstance(value, str) or not value:
            continue
        if extra.kind == "choice":
            for choice in extra.choices:
                if choice.value == value and choice.payment_option:
                    payment_slug = choice.payment_option
        elif extra.kind == "language":
            language = value
        elif extra.kind == "zip":
            point = zip_lookup(value)
            near = point.coordinates if point else None
    return MatchingAnswers(age_range=age_range, payment_slug=payment_slug, language=language,
                           near=near)


def recommendation_matches(
    *,
    recommendation: engine.Recommendation,
    questionnaire: engine.Questionnaire,
    answers: Mapping[str, Sequence[str] | str],
    extras: Mapping[str, str],
    level_names: Mapping[str, str] | None = None,
) -> list[MatchGroup]:
    """The program groups for an engine `Recommendation`: what the result page and
    `manage.py screen` both list."""
    matching = matching_answers(questionnaire, answers, extras)
    return result_matches(
        level=recommendation.level,
        next_step=recommendation.next_step,
        level_names=level_names,
        age_range=matching.age_range,
        needs={item.key: item.remedies for item in recommendation.unmet_requirements},
        payment_slug=matching.payment_slug,
        language=matching.language,
        hints=[questionnaire.flags_by_key[key] for key in recommendation.flags
               if key in questionnaire.flags_by_key],
        near=matching.near,
    )
