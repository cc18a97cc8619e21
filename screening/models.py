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

from iop.models import LevelOfCare, Service

LEVEL_CHOICES = LevelOfCare.Code.choices
key_validator = RegexValidator(
    r"^[a-z][a-z0-9_]*$",
    _("Use lower-case letters, digits and underscores, starting with a letter."),
    code="invalid_key",
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
    note = models.TextField(
        _("note on the result"), blank=True,
        help_text=_("Plain words shown on the result when an answer sets this flag. "
                    "Leave empty to show nothing."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]
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
        D3 = "3", _("3 Emotional, behavioural or cognitive")
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
    multiple = models.BooleanField(_("several answers allowed"), default=False)
    required = models.BooleanField(_("required"), default=True)
    dimension = models.CharField(
        _("ASAM dimension"), max_length=2, choices=Dimension.choices, blank=True
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


class Option(LockedWhenPublished):
    """One answer. Options are ordered from mild to severe (see the admin check)."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question")
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Milder answers first, more severe answers later.")
    )
    value = models.CharField(_("value"), max_length=40, validators=[key_validator])
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


class ScreeningTestCase(models.Model):
    """A known answer set and the result clinical staff expect. Publishing needs all to pass."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    answers = models.JSONField(
        _("answers"),
        help_text=_('A JSON object of question key → value, for example {"safety": "no", …}. '
                    "Use a list for questions with several answers."),
    )
    expected_level = models.CharField(_("expected level"), max_length=32, choices=LEVEL_CHOICES)
    expected_crisis = models.BooleanField(_("expected crisis"), default=False)
    note = models.TextField(_("note"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("screening test case")
        verbose_name_plural = _("screening test cases")

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
