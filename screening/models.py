"""The self-screening rules (versioned, staff-editable) and de-identified outcomes.

A questionnaire version holds its steps, questions, options, requirements and
severity bands. Published versions are immutable: staff copy one to a draft,
edit the draft, run the test cases and publish it. The live screening always
uses the latest published version.
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from iop.models import LevelOfCare, Population, Service
from screening.engine import RANK_FEATURES

LEVEL_CHOICES = LevelOfCare.Code.choices
key_validator = RegexValidator(
    r"^[a-z][a-z0-9_]*$",
    _("Use lower-case letters, digits and underscores, starting with a letter."),
    code="invalid_key",
)
#: Answer values may start with a digit ("18_25", "1_2": versions 1 and 2 ship such values).
value_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_]*$",
    _("Use lower-case letters, digits and underscores only, for example “several_times” or "
      "“18_25”."),
    code="invalid_value",
)


class Questionnaire(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    version = models.PositiveIntegerField(_("version"), unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    notes = models.TextField(_("notes for reviewers"), blank=True)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("copied from"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    extras = models.JSONField(
        _("optional matching questions"), default=list, blank=True,
        help_text=_("Payment, language and ZIP code: asked at the end, never stored, used only "
                    "to rank programs. See docs/questionnaire-format.md."),
    )
    extras_translations = models.JSONField(
        _("optional questions in other languages"), default=dict, blank=True,
        # Also in the database: data migrations written before this field insert without it.
        db_default=models.Value({}, output_field=models.JSONField()),
        help_text=_("The words of the optional questions in other languages, by language and "
                    "question key, for example {\"es\": {\"zip\": {\"text\": \"…\"}}}. "
                    "Missing words are shown in English."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        permissions = [("publish_questionnaire", _("Can publish a questionnaire version"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="questionnaire_published_has_date",
            ),
        ]

    def __str__(self):
        return _("Version %(version)s (%(status)s)") % {
            "version": self.version, "status": self.get_status_display(),
        }

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


class LockedWhenPublished(models.Model):
    """Rows belonging to a published questionnaire cannot be changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_if_published()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_published()
        return super().delete(*args, **kwargs)

    def owning_questionnaire(self) -> Questionnaire:
        return self.questionnaire

    def _refuse_if_published(self):
        try:
            owner = self.owning_questionnaire()
        except ObjectDoesNotExist:  # not attached yet; the database will refuse it anyway
            return
        questionnaire = Questionnaire.objects.filter(pk=owner.pk).first()
        if questionnaire and questionnaire.is_published:
            raise ValidationError(
                _("Version %(version)s is published and cannot be changed. Copy it to a draft."),
                code="published_locked",
                params={"version": questionnaire.version},
            )


class Step(LockedWhenPublished):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="steps",
        verbose_name=_("questionnaire"),
    )
    key = models.CharField(_("key"), max_length=40, validators=[key_validator])
    title = models.CharField(_("title"), max_length=120)
    intro = models.TextField(_("introduction"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["questionnaire", "order", "pk"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"], name="step_unique_key"),
        ]

    def __str__(self):
        return self.title


class Flag(models.Model):
    """A marker an answer can set; its note is shown on the result (safety advice)."""

    key = models.CharField(_("key"), max_length=40, unique=True, validators=[key_validator])
    name = models.CharField(_("name"), max_length=120)
    class NoteKind(models.TextChoices):
        SAFETY = "safety", _("Safety note (the “Keep yourself safe” box)")
        TIP = "tip", _("Practical tip")
        NEXT_STEP = "next_step", _("Next step (what to do now)")
        NONE = "", _("No note")

    note = models.TextField(
        _("note on the result"), blank=True,
        help_text=_("Plain words shown on the result when an answer sets this flag. "
                    "Leave empty to show nothing."),
    )
    note_kind = models.CharField(
        _("kind of note"), max_length=10, choices=NoteKind.choices, blank=True,
        help_text=_("Safety notes are shown near the top of the result; tips further down."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Notes are shown in this order (lowest first)."),
    )
    rank_services = models.ManyToManyField(
        Service, blank=True, related_name="+", verbose_name=_("rank first: programs offering"),
    )
    rank_populations = models.ManyToManyField(
        Population, blank=True, related_name="+", verbose_name=_("rank first: programs serving"),
    )
    rank_features = models.JSONField(
        _("rank first: programs with"), default=list, blank=True,
        help_text=_("Any of: %(features)s.") % {"features": ", ".join(RANK_FEATURES)},
    )

    history = HistoricalRecords(m2m_fields=["rank_services", "rank_populations"])

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")

    def __str__(self):
        return self.name


class Requirement(LockedWhenPublished):
    class Status(models.TextChoices):
        MET = "met", _("Met")
        ADDRESSABLE = "addressable", _("Addressable (a service can help)")
        UNMET = "unmet", _("Unmet")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="requirements",
        verbose_name=_("questionnaire"),
    )
    key = models.CharField(_("key"), max_length=40, validators=[key_validator])
    name = models.CharField(_("name"), max_length=120)
    help_text = models.TextField(_("what would help"), blank=True)
    applies_to = models.ManyToManyField(
        LevelOfCare, related_name="+", verbose_name=_("applies to levels"),
        help_text=_("The levels of care this requirement is needed for."),
    )
    remedies = models.ManyToManyField(
        Service, blank=True, related_name="+", verbose_name=_("services that help"),
    )
    escalation_level = models.CharField(
        _("when unmet, escalate to"), max_length=32, choices=LEVEL_CHOICES, blank=True,
        help_text=_("Leave empty to flag the requirement without changing the level."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords(m2m_fields=["applies_to", "remedies"])

    class Meta:
        ordering = ["questionnaire", "order", "pk"]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "key"], name="requirement_unique_key"
            ),
        ]

    def __str__(self):
        return self.name


class Question(LockedWhenPublished):
    class Dimension(models.TextChoices):
        D1 = "1", _("1 Intoxication and withdrawal")
        D2 = "2", _("2 Biomedical")
        D3 = "3", _("3 Emotional, behavioral or cognitive")
        D4 = "4", _("4 Readiness to change")
        D5 = "5", _("5 Continued use or relapse potential")
        D6 = "6", _("6 Recovery environment")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions",
        verbose_name=_("questionnaire"),
    )
    step = models.ForeignKey(
        Step, on_delete=models.PROTECT, related_name="questions", verbose_name=_("step")
    )
    key = models.CharField(
        _("key"), max_length=40, validators=[key_validator],
        help_text=_("Fixed name other tools use. Do not change it on a copy."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.TextField(_("why we ask"), blank=True)
    error_message = models.CharField(
        _("message when not answered"), max_length=200, blank=True, default="",
        db_default="",  # rows written by migrations older than this field get one too
        help_text=_("Shown when a person goes on without answering, for example “Choose how "
                    "often you drank in the past month”. Say what to do. Leave empty for a "
                    "general message."),
    )
    multiple = models.BooleanField(_("several answers allowed"), default=False)
    required = models.BooleanField(_("required"), default=True)
    dimension = models.CharField(
        _("ASAM dimension"), max_length=2, choices=Dimension.choices, blank=True
    )
    score = models.ForeignKey(
        "Score", null=True, blank=True, on_delete=models.PROTECT, related_name="items",
        verbose_name=_("part of score"),
        help_text=_("The answer's points count towards this score (for example AUDIT-C) and "
                    "not towards the severity bands."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["questionnaire", "step__order", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"], name="question_unique_key"),
        ]

    def __str__(self):
        return f"{self.key}: {self.text}"

    def clean(self):
        if self.step_id and self.questionnaire_id and self.step.questionnaire_id != (
            self.questionnaire_id
        ):
            raise ValidationError(
                {"step": _("Choose a step of the same questionnaire version.")},
                code="step_other_version",
            )
        if self.score_id and self.questionnaire_id and self.score.questionnaire_id != (
            self.questionnaire_id
        ):
            raise ValidationError(
                {"score": _("Choose a score of the same questionnaire version.")},
                code="score_other_version",
            )


class Option(LockedWhenPublished):
    """One answer. Options are ordered from mild to severe (see the admin check)."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question")
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Milder answers first, more severe answers later.")
    )
    value = models.CharField(_("value"), max_length=40, validators=[value_validator])
    label = models.CharField(_("label"), max_length=200)
    points = models.PositiveSmallIntegerField(
        _("points"), default=0, validators=[MaxValueValidator(100)]
    )
    min_level = models.CharField(
        _("minimum level"), max_length=32, choices=LEVEL_CHOICES, blank=True,
        help_text=_("The result is at least this level when this answer is chosen."),
    )
    crisis = models.BooleanField(
        _("crisis"), default=False, help_text=_("Show crisis help first when this is chosen.")
    )
    flags = models.ManyToManyField(
        Flag, blank=True, related_name="options", verbose_name=_("flags")
    )
    requirement = models.ForeignKey(
        Requirement, null=True, blank=True, on_delete=models.PROTECT, related_name="options",
        verbose_name=_("requirement"),
    )
    requirement_status = models.CharField(
        _("requirement status"), max_length=12, choices=Requirement.Status.choices, blank=True
    )
    explanation = models.TextField(
        _("explanation on the result"), blank=True,
        help_text=_("Plain words: “You said …, so …”. Shown when this answer moves the result."),
    )
    exclusive = models.BooleanField(
        _("“none of these”"), default=False,
        help_text=_("For questions with several answers: this one cannot be ticked with others."),
    )
    age_min = models.PositiveSmallIntegerField(
        _("from age"), null=True, blank=True, help_text=_("Age answers: the youngest age covered."),
    )
    age_max = models.PositiveSmallIntegerField(
        _("to age"), null=True, blank=True, help_text=_("Age answers: the oldest age covered."),
    )

    history = HistoricalRecords(m2m_fields=["flags"])

    class Meta:
        ordering = ["question", "order", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [
            models.UniqueConstraint(fields=["question", "value"], name="option_unique_value"),
            models.CheckConstraint(
                condition=Q(requirement__isnull=True, requirement_status="")
                | Q(requirement__isnull=False) & ~Q(requirement_status=""),
                name="option_requirement_has_status",
                violation_error_message=_("Choose a requirement and its status together."),
            ),
        ]

    def __str__(self):
        return f"{self.value}: {self.label}"

    def owning_questionnaire(self):
        return self.question.questionnaire


class SeverityBand(LockedWhenPublished):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="bands",
        verbose_name=_("questionnaire"),
    )
    min_points = models.PositiveSmallIntegerField(_("from points"))
    max_points = models.PositiveSmallIntegerField(_("to points"))
    level = models.CharField(_("level"), max_length=32, choices=LEVEL_CHOICES)

    history = HistoricalRecords()

    class Meta:
        ordering = ["questionnaire", "min_points"]
        verbose_name = _("severity band")
        verbose_name_plural = _("severity bands")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_points__lte=F("max_points")), name="band_min_lte_max",
                violation_error_message=_("“From points” must not be above “to points”."),
            ),
        ]

    def __str__(self):
        return f"{self.min_points}–{self.max_points}: {self.get_level_display()}"


class Score(LockedWhenPublished):
    """A named sum of its questions' answer points (for example AUDIT-C), with bands."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="scores",
        verbose_name=_("questionnaire"),
    )
    key = models.CharField(_("key"), max_length=40, validators=[key_validator])
    name = models.CharField(_("name"), max_length=120)
    instrument = models.CharField(
        _("based on"), max_length=120, blank=True,
        help_text=_("The published instrument this score is modelled on, for example AUDIT-C."),
    )
    help_text = models.TextField(
        _("what it is"), blank=True,
        help_text=_("Shown beside the score on the result. Say it is a screen, not a diagnosis."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["questionnaire", "order", "pk"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"], name="score_unique_key"),
        ]

    def __str__(self):
        return self.name


class ScoreBand(LockedWhenPublished):
    score = models.ForeignKey(
        Score, on_delete=models.CASCADE, related_name="bands", verbose_name=_("score")
    )
    min_points = models.PositiveSmallIntegerField(_("from points"))
    max_points = models.PositiveSmallIntegerField(_("to points"))
    label = models.CharField(_("label"), max_length=120, blank=True)
    meaning = models.TextField(_("what it means"), blank=True)
    min_level = models.CharField(
        _("minimum level"), max_length=32, choices=LEVEL_CHOICES, blank=True
    )
    flags = models.ManyToManyField(Flag, blank=True, related_name="+", verbose_name=_("flags"))

    history = HistoricalRecords(m2m_fields=["flags"])

    class Meta:
        ordering = ["score", "min_points"]
        verbose_name = _("score band")
        verbose_name_plural = _("score bands")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_points__lte=F("max_points")), name="scoreband_min_lte_max",
                violation_error_message=_("“From points” must not be above “to points”."),
            ),
        ]

    def __str__(self):
        return f"{self.min_points}–{self.max_points}: {self.label}"

    def owning_questionnaire(self):
        return self.score.questionnaire


class Rule(LockedWhenPublished):
    """A combination rule: when all of its conditions hold, the result gets its effects."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="rules",
        verbose_name=_("questionnaire"),
    )
    key = models.CharField(_("key"), max_length=60, validators=[key_validator])
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    min_level = models.CharField(
        _("minimum level"), max_length=32, choices=LEVEL_CHOICES, blank=True,
        help_text=_("When the rule applies, the result is at least this level."),
    )
    crisis = models.BooleanField(
        _("crisis"), default=False, help_text=_("Show crisis help first when the rule applies."),
    )
    flags = models.ManyToManyField(Flag, blank=True, related_name="+", verbose_name=_("flags"))
    explanation = models.TextField(
        _("explanation on the result"), blank=True,
        help_text=_("Plain words shown as the reason when the rule applies."),
    )

    history = HistoricalRecords(m2m_fields=["flags"])

    class Meta:
        ordering = ["questionnaire", "order", "pk"]
        verbose_name = _("combination rule")
        verbose_name_plural = _("combination rules")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"], name="rule_unique_key"),
        ]

    def __str__(self):
        return self.name


class Clause(LockedWhenPublished):
    """One condition of a combination rule, or of when a question is shown. Every kind is
    upward-closed: a more severe answer can only keep it true."""

    class Kind(models.TextChoices):
        AT_LEAST = "at_least", _("answer is at least")
        INCLUDES_ANY = "includes_any", _("answers include any of")
        SCORE_AT_LEAST = "score_at_least", _("score is at least")

    rule = models.ForeignKey(
        Rule, null=True, blank=True, on_delete=models.CASCADE, related_name="clauses",
        verbose_name=_("rule"),
    )
    shown_question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="shown_when",
        verbose_name=_("question shown"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("condition"), max_length=20, choices=Kind.choices)
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("question"),
    )
    values = models.CharField(
        _("answers"), max_length=400, blank=True,
        help_text=_("Answer values (not labels), separated by commas. One value for “at least”."),
    )
    score = models.ForeignKey(
        Score, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("score"),
    )
    number = models.PositiveSmallIntegerField(_("points"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        constraints = [
            models.CheckConstraint(
                condition=Q(rule__isnull=False, shown_question__isnull=True)
                | Q(rule__isnull=True, shown_question__isnull=False),
                name="clause_one_owner",
                violation_error_message=_("A condition belongs to a rule or to a question."),
            ),
            models.CheckConstraint(
                condition=Q(kind="score_at_least", score__isnull=False, number__isnull=False)
                | Q(kind__in=["at_least", "includes_any"], question__isnull=False)
                & ~Q(values=""),
                name="clause_complete",
                violation_error_message=_(
                    "Choose a question and its answers, or a score and its points."
                ),
            ),
        ]

    def __str__(self):
        if self.kind == self.Kind.SCORE_AT_LEAST:
            return f"{self.score.key if self.score_id else '?'} ≥ {self.number}"
        key = self.question.key if self.question_id else "?"
        if self.kind == self.Kind.AT_LEAST:
            return f"{key} ≥ {self.values}"
        return _("%(key)s includes any of %(values)s") % {"key": key, "values": self.values}

    @property
    def value_list(self) -> list[str]:
        return [value.strip() for value in self.values.split(",") if value.strip()]

    def owning_questionnaire(self):
        if self.rule_id:
            return self.rule.questionnaire
        return self.shown_question.questionnaire


class ScreeningTestCase(LockedWhenPublished):
    """A known answer set and the result clinical staff expect. Publishing needs all to pass."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="test_cases",
        verbose_name=_("questionnaire"),
        help_text=_("The version these answers are written for. Copying a version copies its "
                    "test cases."),
    )
    name = models.CharField(_("name"), max_length=200)
    answers = models.JSONField(
        _("answers"),
        help_text=_('A JSON object of question key → value, for example {"safety": "no", …}. '
                    "Use a list for questions with several answers."),
    )
    expected_level = models.CharField(_("expected level"), max_length=32, choices=LEVEL_CHOICES)
    expected_crisis = models.BooleanField(_("expected crisis"), default=False)
    expected_emergency = models.BooleanField(
        _("expected emergency"), null=True, blank=True,
        help_text=_("Yes or no to check that 911 comes first (or not); empty to ignore."),
    )
    expected_flags = models.JSONField(
        _("expected flags"), default=list, blank=True,
        help_text=_('Flag keys the result must include, for example ["naloxone"].'),
    )
    note = models.TextField(_("note"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["questionnaire", "name"]
        verbose_name = _("screening test case")
        verbose_name_plural = _("screening test cases")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "name"], name="testcase_unique_name",
                violation_error_message=_("This version already has a test case of that name."),
            ),
        ]

    def __str__(self):
        return self.name


class ScreeningOutcome(models.Model):
    """A de-identified result for statistics (DESIGN §7): nothing else is stored."""

    date = models.DateField(_("date"), db_index=True)
    questionnaire_version = models.PositiveIntegerField(_("questionnaire version"))
    level = models.CharField(_("level"), max_length=32, choices=LEVEL_CHOICES)
    crisis = models.BooleanField(_("crisis"))
    unmet_requirements = models.JSONField(_("unmet requirement keys"), default=list, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("screening outcome")
        verbose_name_plural = _("screening outcomes")

    def __str__(self):
        return f"{self.date} v{self.questionnaire_version} {self.level}"
