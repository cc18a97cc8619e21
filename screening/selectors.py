"""Programs that fit a screening result (DESIGN §6, "Matching programs")."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    Window,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from iop.geo import bounding_box, distance_miles, nearest_location, program_ids_within, zip_lookup
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
#: The program field that says sessions can be joined by video: with a ZIP code it only
#: counts where the program serves the person's state.
TELEHEALTH_FIELD = "telehealth"

MAX_MATCHES = 10

#: With a ZIP code, how far (miles) an in-person program may be, unless the person chose.
DEFAULT_RADIUS_MILES = 50
#: The farthest radius an answer may ask for.
MAX_RADIUS_MILES = 1000
#: The ages an exact-age answer may give.
MAX_AGE = 120
#: Programs near a ZIP code read as a list of ids before ranking them (see _nearby_ids).
MAX_NEARBY_IDS = 2_000


@dataclass
class Match:
    """One listed program. ``miles``: to its nearest location, only when that is within the
    radius around the person's ZIP code. ``telehealth_state``: the person's state code when
    the program offers video sessions to people there (with a ZIP code only)."""

    program: Program
    why: list[str] = field(default_factory=list)
    miles: float | None = None
    telehealth_state: str | None = None


@dataclass
class MatchGroup:
    """Programs offering one level of care. ``after`` is set for the group of programs that
    offer the usual next step after the suggested level (for example IOP after residential).

    With a ZIP code, ``radius_miles`` is the radius used and ``nearby_count`` how many of the
    group's programs (listed or not: the limit does not count) have a location within it, so
    0 means "no program within N miles". Without a ZIP code, None and 0."""

    level: str
    matches: list[Match]
    after: str | None = None
    radius_miles: int | None = None
    nearby_count: int = 0


def _age_filter(age_range: tuple[int | None, int | None] | None,
                exact_age: int | None) -> Q:
    """Programs whose age range takes the person: their exact age when given, otherwise every
    age of their age band (a band open at one end is tested at its known end)."""
    if exact_age is not None:
        low = high = exact_age
    elif age_range:
        low, high = age_range
        low, high = (high if low is None else low), (low if high is None else high)
        if low is None:
            return Q()
    else:
        return Q()
    return Q(age_min__lte=low) & (Q(age_max__isnull=True) | Q(age_max__gte=high))


def _linked(name: str, lookup: str, values: Iterable[str]) -> Q:
    """Programs linked through their many-to-many field `name` to a row whose `lookup` (a
    slug or code) is one of `values`.

    Written as plain SQL (``id IN (SELECT …)``, which the database hashes once) rather than a
    subquery queryset: the ranking uses a dozen of these, and the ORM took longer to fit each
    subquery queryset into the outer query (cloning and relabelling its aliases) than the
    database took to run the whole ranking."""
    values = sorted(values)
    if not values:
        return Q(pk__in=[])
    quote = connection.ops.quote_name
    field = Program._meta.get_field(name)
    through = field.remote_field.through._meta.db_table
    target = field.related_model._meta
    sql = (
        f"SELECT link.{quote(field.m2m_column_name())} FROM {quote(through)} link "  # noqa: S608 - model constants
        f"JOIN {quote(target.db_table)} linked "
        f"ON linked.{quote(target.pk.column)} = link.{quote(field.m2m_reverse_name())} "
        f"WHERE linked.{quote(lookup)} IN ({', '.join(['%s'] * len(values))})"
    )
    return Q(pk__in=RawSQL(sql, values))  # noqa: S611 - model constants; values as parameters


def _located_in(state: str) -> Q:
    """Programs with a location in `state` (plain SQL, as _linked)."""
    quote = connection.ops.quote_name
    meta = Location._meta
    sql = (f"SELECT {quote(meta.get_field('program').column)} "  # noqa: S608 - model constants
           f"FROM {quote(meta.db_table)} WHERE {quote(meta.get_field('state').column)} = %s")
    return Q(pk__in=RawSQL(sql, (state,)))  # noqa: S611 - model constants; the state a parameter


def _populations_filter(populations: frozenset[str]) -> Q:
    """Programs that serve everyone, or only some populations of which the person is one."""
    anyone = Q(populations_only=False)
    if not populations:
        return anyone
    return anyone | _linked("populations", "slug", populations)


def _miles_within(near: tuple[float, float], radius: int) -> Case:
    """Miles to the program's nearest location within `radius` of `near`, NULL when it has
    none there. Programs without a location in the box around the point are found by one
    hashed lookup on the indexed coordinates, so the distance is only computed for the others."""
    latitude, longitude = near
    nearest = (
        Location.objects.filter(program=OuterRef("pk"),
                                **bounding_box(latitude, longitude, radius))
        .annotate(miles=distance_miles(latitude, longitude))
        .filter(miles__lte=radius)
        .order_by("miles")
        .values("miles")[:1]
    )
    return Case(
        When(pk__in=program_ids_within(near, radius),
             then=Subquery(nearest, output_field=FloatField())),
        default=Value(None, output_field=FloatField()),
        output_field=FloatField(),
    )


def _with_states_list(programs):
    """Programs with ``telehealth_states_list``: their listed states as ",NY,NJ,", so that
    _lists_state matches a whole code."""
    return programs.alias(
        telehealth_states_list=Concat(Value(","), F("telehealth_states"), Value(",")))


def _lists_state(state: str) -> Q:
    """Among the states a program lists for its video sessions (see _with_states_list)."""
    return Q(telehealth_states_list__contains=f",{state},")


def _telehealth_in(state: str | None) -> Q:
    """Programs offering video sessions to people in `state`: the states listed for it, or,
    when none are listed, the states of its own locations."""
    if not state:
        return Q(pk__in=[])
    listed = _lists_state(state)
    by_location = Q(telehealth_states="") & _located_in(state)
    return Q(telehealth=True) & (listed | by_location)


def _nearby_ids(near: tuple[float, float], radius: int, state: str | None):
    """The ids of every program that may be listed near `near`: one with a location in the
    box around it, or (video sessions) one with a location in `state` or `state` among the
    states it lists. A superset, read from indexes in one query, that the ranking starts
    from instead of reading every program offering the level (PostgreSQL cannot drive the
    ranking from an OR of the two, and reads them all). Past MAX_NEARBY_IDS (a radius
    covering most of the catalogue), the subquery itself, for the database to read."""
    candidates = program_ids_within(near, radius).order_by()
    if state:
        candidates = candidates.union(
            Location.objects.filter(state=state).order_by().values("program_id"),
            _with_states_list(Program.objects.filter(telehealth=True)
                              .exclude(telehealth_states=""))
            .filter(_lists_state(state)).order_by().values("pk"),
        )
    # Read with a plain cursor: hundreds of one-number rows, which the translating queryset
    # would otherwise pass one by one through its row wrappers (most of the time taken).
    sql, params = candidates[:MAX_NEARBY_IDS + 1].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [pk for (pk,) in cursor.fetchall()]
    return candidates if len(ids) > MAX_NEARBY_IDS else ids


def _ranked_programs(
    *,
    level: str,
    age_range: tuple[int | None, int | None] | None,
    exact_age: int | None,
    needs: Mapping[str, frozenset[str]],
    payment_slug: str | None,
    language: str | None,
    hints: Sequence[engine.Flag],
    near: tuple[float, float] | None,
    state: str | None,
    radius_miles: int,
    limit: int,
    exclude: Iterable[int] = (),
    nearby=None,
) -> tuple[list[Program], int]:
    """Published programs offering `level` that the person can use, best fit first (see
    `result_matches`), and with `near`, how many of them have a location within the radius.
    One query; with `near`, `nearby` are the programs that may be near (_nearby_ids)."""
    populations = frozenset(slug for flag in hints for slug in flag.rank_populations)
    queryset = (
        _with_states_list(Program.objects.published().filter(levels__code=level))
        .filter(_age_filter(age_range, exact_age), _populations_filter(populations))
    )
    exclude = list(exclude)
    if exclude:
        queryset = queryset.exclude(pk__in=exclude)
    telehealth_here = _telehealth_in(state) if near else Q(pk__in=[])

    def offers_any(slugs) -> Case:
        # An uncorrelated IN (...) that the database hashes once, not a count per candidate row.
        return Case(When(_linked("services", "slug", slugs), then=Value(1)),
                    default=Value(0), output_field=IntegerField())

    def linked_to(name: str, lookup: str, value: str | None) -> Case:
        return Case(When(_linked(name, lookup, [value] if value else []), then=Value(True)),
                    default=Value(False), output_field=BooleanField())

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
            condition |= _linked("services", "slug", flag.rank_services)
        if flag.rank_populations:
            condition |= _linked("populations", "slug", flag.rank_populations)
        for feature in flag.rank_features:
            if feature not in FEATURE_FIELDS:
                continue
            if FEATURE_FIELDS[feature] == TELEHEALTH_FIELD and near:
                condition |= telehealth_here  # video sessions the person can join
            else:
                condition |= Q(**{FEATURE_FIELDS[feature]: True})
        hints_met = hints_met + Case(
            When(condition, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    queryset = queryset.annotate(
        hints_met=hints_met,
        needs_met=needs_met,
        open_rank=Case(
            When(accepting="yes", then=0), When(accepting="waitlist", then=1), default=2,
            output_field=IntegerField(),
        ),
        speaks=linked_to("languages", "code", language),
        pays=linked_to("payment_options", "slug", payment_slug),
        remedy_count=remedy_count,
    )
    first = ["-hints_met", "-needs_met", "open_rank"]
    rest = ["-speaks", "-pays", "-remedy_count", "name", "pk"]
    queryset = queryset.defer(*SEARCH_DOCUMENT_FIELDS)
    if not near:
        return list(queryset.order_by(*first, *rest)[:limit]), 0
    # With a ZIP code: in person within the radius, or by video in the person's state.
    queryset = (
        queryset.filter(pk__in=nearby)
        .annotate(
            miles=_miles_within(near, radius_miles),
            telehealth_here=Case(When(telehealth_here, then=Value(True)), default=Value(False),
                                 output_field=BooleanField()),
        )
        .filter(Q(miles__isnull=False) | telehealth_here)
        .annotate(nearby_count=Window(Count("miles")))
    )
    programs = list(
        queryset.order_by(*first, F("miles").asc(nulls_last=True), *rest)[:limit]
    )
    return programs, (programs[0].nearby_count if programs else 0)


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
    age_range: tuple[int | None, int | None] | None,
    exact_age: int | None,
    remedies: frozenset[str],
    payment_slug: str | None,
    language: str | None,
    hints: Sequence[engine.Flag],
    near: tuple[float, float] | None,
    state: str | None,
) -> Match:
    """One program with the reasons it may fit, each meaning once; `offers` is the first."""
    why = [offers]
    said = set()

    def add(meaning: tuple, line: str) -> None:
        if meaning not in said:
            said.add(meaning)
            why.append(line)

    miles = getattr(program, "miles", None)
    telehealth_state = state if getattr(program, "telehealth_here", False) else None
    if miles is not None:
        nearest = nearest_location(program, near)
        add(("distance",), _("About %(miles)s miles from your ZIP code (%(city)s).")
            % {"miles": f"{miles:.1f}", "city": f"{nearest.city}, {nearest.state}"}
            if nearest else _("About %(miles)s miles from your ZIP code.")
            % {"miles": f"{miles:.1f}"})
    if telehealth_state:
        add(("feature", TELEHEALTH_FIELD),
            _("Offers video sessions for people in %(state)s.") % {"state": telehealth_state})
    if (age_range or exact_age is not None) and (
            program.age_max is not None and program.age_max < 18):
        add(("young",), _("Made for young people."))
    for program_service in program.listed_services:
        if program_service.service.slug in remedies:
            add(("service", program_service.service.slug),
                _("Offers: %(service)s.") % {"service": program_service.service.name})
    if payment_slug and program.pays:
        add(("payment",), _("Accepts the payment you chose."))
    if language and program.speaks:
        add(("language",), _("Offers care in the language you chose."))
    for flag in hints:
        for program_service in program.listed_services:
            if program_service.service.slug in flag.rank_services:
                add(("service", program_service.service.slug),
                    _("Offers: %(service)s.") % {"service": program_service.service.name})
        for population in program.hint_populations:
            if population.slug in flag.rank_populations:
                add(("population", population.slug),
                    _("Serves: %(population)s.") % {"population": population.name})
        for feature in flag.rank_features:
            if feature not in FEATURE_FIELDS:
                continue
            if FEATURE_FIELDS[feature] == TELEHEALTH_FIELD and near:
                has = telehealth_state is not None  # only video sessions they can join
            else:
                has = getattr(program, FEATURE_FIELDS[feature])
            if has:
                add(("feature", FEATURE_FIELDS[feature]), str(FEATURE_LABELS[feature]))
    return Match(program=program, why=why, miles=miles, telehealth_state=telehealth_state)


def _level_name(program: Program, code: str, names: Mapping[str, str]) -> str:
    for level in program.levels.all():  # prefetched
        if level.code == code:
            return level.name
    return names.get(code, code)


def program_matches(
    *,
    level: str,
    age_range: tuple[int | None, int | None] | None = None,
    exact_age: int | None = None,
    needs: Mapping[str, Iterable[str]] | None = None,
    payment_slug: str | None = None,
    language: str | None = None,
    hints: Sequence[engine.Flag] = (),
    near: tuple[float, float] | None = None,
    state: str | None = None,
    radius_miles: int = DEFAULT_RADIUS_MILES,
    limit: int = MAX_MATCHES,
) -> list[Match]:
    """The programs offering `level` that fit, best first: `result_matches`'s first group."""
    return result_matches(
        level=level, age_range=age_range, exact_age=exact_age, needs=needs,
        payment_slug=payment_slug, language=language, hints=hints, near=near, state=state,
        radius_miles=radius_miles, limit=limit,
    )[0].matches


def result_matches(
    *,
    level: str,
    next_step: str | None = None,
    level_names: Mapping[str, str] | None = None,
    age_range: tuple[int | None, int | None] | None = None,
    exact_age: int | None = None,
    needs: Mapping[str, Iterable[str]] | None = None,
    payment_slug: str | None = None,
    language: str | None = None,
    hints: Sequence[engine.Flag] = (),
    near: tuple[float, float] | None = None,
    state: str | None = None,
    radius_miles: int = DEFAULT_RADIUS_MILES,
    limit: int = MAX_MATCHES,
) -> list[MatchGroup]:
    """The programs for a screening result, in groups.

    First the programs that offer the suggested `level`; then, when the result names a usual
    next step (IOP after medically managed withdrawal or residential care), a second group of
    programs that offer `next_step`, for afterwards (a program already in the first group is
    not repeated).

    **Who is listed.** Published programs offering the level that the person can use:
    - age: with `exact_age`, the program's age range includes it; otherwise the whole
      `age_range` (the age answer's band) lies inside the program's range, a band open at
      one end tested at its known end;
    - populations: a program that only serves its listed populations is listed only when
      the person is one of them (the populations the flags' hints name, `hints`);
    - distance, with `near` (the ZIP code's coordinates, never stored): a location within
      `radius_miles`, or video sessions (`telehealth`) for people in `state` (the states it
      lists, or those of its own locations when it lists none). Without a ZIP code, no
      distance rule.

    **Order**, best fit first:
    1. how many of the flags' matching hints it meets (`hints`: services, populations,
       features, such as pregnancy care, medication, co-occurring care, schedules), most
       first: these answer the safety and clinical needs the answers raised;
    2. how many unmet requirements it helps with (`needs`: each requirement's remedy
       services), most first: barriers removed;
    3. taking new patients, then waitlist, then not taking new patients;
    4. distance, nearest first (programs with no location within the radius after);
    5. speaks the `language` chosen, accepts the payment chosen (`payment_slug`), offers more
       remedy services;
    6. name, then id, so the order is stable.

    Each match says why it may fit (each meaning once). The same queries whatever the size of
    the catalogue: one per group, four to read services, populations, locations and levels,
    and with `near`, one for the programs that may be near.
    """
    names = level_names or {}
    needs = {key: frozenset(slugs) for key, slugs in (needs or {}).items()}
    remedies = frozenset().union(*needs.values())
    hints = tuple(flag for flag in hints if flag.ranks)
    radius = radius_miles if near else None
    ranking = {
        "age_range": age_range, "exact_age": exact_age, "needs": needs,
        "payment_slug": payment_slug, "language": language, "hints": hints, "near": near,
        "state": state, "radius_miles": radius_miles, "limit": limit,
    }
    if near:
        ranking["nearby"] = _nearby_ids(near, radius_miles, state)
    first, first_nearby = _ranked_programs(level=level, **ranking)
    later, later_nearby = (
        _ranked_programs(level=next_step, exclude=[p.pk for p in first], **ranking)
        if next_step and next_step != level else ([], 0)
    )
    _prefetch(first + later, remedies, hints)

    details = {"age_range": age_range, "exact_age": exact_age, "remedies": remedies,
               "payment_slug": payment_slug, "language": language, "hints": hints,
               "near": near, "state": state}
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
    groups.append(MatchGroup(level=level, matches=matches, radius_miles=radius,
                             nearby_count=first_nearby))
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
            radius_miles=radius,
            nearby_count=later_nearby,
        ))
    return groups


@dataclass(frozen=True)
class MatchingAnswers:
    """What of a person's answers chooses and ranks programs, read through the questionnaire's
    data: the age band of the age answer (None at an open end), the exact age, the catalogue
    payment option and language of the extras, and the ZIP code's coordinates and state with
    the radius around it. Nothing here is stored."""

    age_range: tuple[int | None, int | None] | None = None
    exact_age: int | None = None
    payment_slug: str | None = None
    language: str | None = None
    near: tuple[float, float] | None = None
    state: str | None = None
    radius_miles: int = DEFAULT_RADIUS_MILES


def _age_band(question: engine.Question, option: engine.Option) -> tuple[int | None, int | None]:
    """The option's ages; the youngest band's lower bound and the oldest band's upper bound
    are the ends of the question's range ("under 18", "65 and over"), so they are open."""
    bands = [o for o in question.options if o.age_min is not None or o.age_max is not None]
    lowest = min((o.age_min for o in bands if o.age_min is not None), default=None)
    highest = max((o.age_max for o in bands if o.age_max is not None), default=None)
    low = None if len(bands) > 1 and option.age_min == lowest else option.age_min
    high = None if len(bands) > 1 and option.age_max == highest else option.age_max
    return (low, high)


def _radius(extra: engine.Extra, value: str) -> int:
    """Miles from the answer when it is one of the question's choices; otherwise the default."""
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) <= MAX_RADIUS_MILES:
        return DEFAULT_RADIUS_MILES
    if extra.choices and value not in {choice.value for choice in extra.choices}:
        return DEFAULT_RADIUS_MILES
    return int(value)


def _exact_age(value: str) -> int | None:
    value = value.strip()
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_AGE:
        return None
    return int(value)


def matching_answers(
    questionnaire: engine.Questionnaire,
    answers: Mapping[str, Sequence[str] | str],
    extras: Mapping[str, str],
) -> MatchingAnswers:
    """``answers``: question key → value(s); ``extras``: extra key → value, already checked
    (ExtrasForm); the ZIP code is only turned into coordinates and a state here."""
    answer = questionnaire.age_answer(answers)
    age_range = _age_band(*answer) if answer else None
    payment_slug = language = near = state = exact_age = None
    radius_miles = DEFAULT_RADIUS_MILES
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
            state = (point.state or None) if point else None
        elif extra.kind == "radius":
            radius_miles = _radius(extra, value)
        elif extra.kind == "age":
            exact_age = _exact_age(value)
    return MatchingAnswers(
        age_range=age_range, exact_age=exact_age, payment_slug=payment_slug, language=language,
        near=near, state=state, radius_miles=radius_miles,
    )


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
        exact_age=matching.exact_age,
        needs={item.key: item.remedies for item in recommendation.unmet_requirements},
        payment_slug=matching.payment_slug,
        language=matching.language,
        hints=[questionnaire.flags_by_key[key] for key in recommendation.flags
               if key in questionnaire.flags_by_key],
        near=matching.near,
        state=matching.state,
        radius_miles=matching.radius_miles,
    )
