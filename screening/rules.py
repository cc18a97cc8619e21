"""Turn a questionnaire version in the database into the engine's plain dataclasses.

`live_rules()` is what the public screening and the `screen` command use: the
latest published version, built with a handful of queries and then cached
(published versions never change, so the cache key is the version number).
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Prefetch

from iop.models import LevelOfCare
from screening import default_questionnaire, engine
from screening.models import Flag, Option, Question, Questionnaire, Requirement

LATEST_KEY = "screening:latest_published"
RULES_KEY = "screening:rules:{pk}"
LATEST_SECONDS = 60


@dataclass(frozen=True)
class StepInfo:
    key: str
    title: str
    intro: str
    question_keys: tuple[str, ...]


@dataclass(frozen=True)
class QuestionInfo:
    key: str
    text: str
    help_text: str
    multiple: bool
    required: bool
    choices: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Rules:
    """Everything the screening needs about one questionnaire version."""

    questionnaire: engine.Questionnaire
    steps: tuple[StepInfo, ...]
    questions: dict  # key -> QuestionInfo
    requirement_help: dict  # key -> text
    flag_notes: dict  # flag key -> note (only flags that have one)
    level_names: dict  # code -> name

    @property
    def version(self) -> int:
        return self.questionnaire.version

    def step_index(self, key: str) -> int:
        for index, step in enumerate(self.steps):
            if step.key == key:
                return index
        raise KeyError(key)


def rules_build(questionnaire: Questionnaire) -> Rules:
    """Read one version with a constant number of queries."""
    levels = list(LevelOfCare.objects.order_by("rank"))
    requirements = list(
        Requirement.objects.filter(questionnaire=questionnaire)
        .prefetch_related(
            Prefetch("applies_to", queryset=LevelOfCare.objects.only("code")),
            "remedies",
        )
        .order_by("order", "pk")
    )
    questions = list(
        Question.objects.filter(questionnaire=questionnaire)
        .select_related("step")
        .prefetch_related(
            Prefetch(
                "options",
                queryset=Option.objects.select_related("requirement")
                .prefetch_related("flags")
                .order_by("order", "pk"),
            )
        )
        .order_by("step__order", "order", "pk")
    )
    steps = list(questionnaire.steps.order_by("order", "pk"))
    step_down = {level["code"]: level["step_down"] for level in default_questionnaire.LEVELS}

    engine_questionnaire = engine.Questionnaire(
        version=questionnaire.version,
        levels=tuple(
            engine.Level(code=lv.code, rank=lv.rank, name=lv.name, step_down=step_down.get(lv.code))
            for lv in levels
        ),
        questions=tuple(
            engine.Question(
                key=q.key, text=q.text, step=q.step.key, multiple=q.multiple, required=q.required,
                options=tuple(
                    engine.Option(
                        value=o.value, label=o.label, points=o.points,
                        min_level=o.min_level or None, crisis=o.crisis,
                        flags=frozenset(flag.key for flag in o.flags.all()),
                        requirement=o.requirement.key if o.requirement else None,
                        requirement_status=o.requirement_status or None,
                        explanation=o.explanation,
                    )
                    for o in q.options.all()
                ),
            )
            for q in questions
        ),
        requirements=tuple(
            engine.Requirement(
                key=r.key, name=r.name,
                applies_to=frozenset(level.code for level in r.applies_to.all()),
                remedies=tuple(sorted(service.slug for service in r.remedies.all())),
                escalation_level=r.escalation_level or None, help_text=r.help_text,
            )
            for r in requirements
        ),
        bands=tuple(
            engine.Band(min_points=b.min_points, max_points=b.max_points, level=b.level)
            for b in questionnaire.bands.order_by("min_points")
        ),
    )
    return Rules(
        questionnaire=engine_questionnaire,
        steps=tuple(
            StepInfo(
                key=s.key, title=s.title, intro=s.intro,
                question_keys=tuple(q.key for q in questions if q.step_id == s.pk),
            )
            for s in steps
            if any(q.step_id == s.pk for q in questions)
        ),
        questions={
            q.key: QuestionInfo(
                key=q.key, text=q.text, help_text=q.help_text, multiple=q.multiple,
                required=q.required,
                choices=tuple((o.value, o.label) for o in q.options.all()),
            )
            for q in questions
        },
        requirement_help={r.key: r.help_text for r in requirements},
        flag_notes=dict(Flag.objects.exclude(note="").values_list("key", "note")),
        level_names={lv.code: lv.name for lv in levels},
    )


class NoPublishedQuestionnaire(LookupError):
    pass


def live_rules() -> Rules:
    """The latest published version's rules (cached)."""
    pk = cache.get(LATEST_KEY)
    if pk is None:
        pk = (
            Questionnaire.objects.filter(status=Questionnaire.Status.PUBLISHED)
            .order_by("-version")
            .values_list("pk", flat=True)
            .first()
        )
        if pk is None:
            raise NoPublishedQuestionnaire("No questionnaire version is published.")
        cache.set(LATEST_KEY, pk, LATEST_SECONDS)
    key = RULES_KEY.format(pk=pk)
    rules = cache.get(key)
    if rules is None:
        rules = rules_build(Questionnaire.objects.get(pk=pk))
        cache.set(key, rules, None)
    return rules


def rules_cache_clear() -> None:
    """Call after publishing, or after editing flags or level names."""
    cache.delete(LATEST_KEY)
    for pk in Questionnaire.objects.values_list("pk", flat=True):
        cache.delete(RULES_KEY.format(pk=pk))
