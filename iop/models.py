"""The program catalogue: levels of care, services, programs and their locations."""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

US_STATES = [
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"),
    ("CA", "California"), ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"),
    ("DC", "District of Columbia"), ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"),
    ("ID", "Idaho"), ("IL", "Illinois"), ("IN", "Indiana"), ("IA", "Iowa"), ("KS", "Kansas"),
    ("KY", "Kentucky"), ("LA", "Louisiana"), ("ME", "Maine"), ("MD", "Maryland"),
    ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"), ("MS", "Mississippi"),
    ("MO", "Missouri"), ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"),
    ("NH", "New Hampshire"), ("NJ", "New Jersey"), ("NM", "New Mexico"), ("NY", "New York"),
    ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"), ("OK", "Oklahoma"),
    ("OR", "Oregon"), ("PA", "Pennsylvania"), ("PR", "Puerto Rico"), ("RI", "Rhode Island"),
    ("SC", "South Carolina"), ("SD", "South Dakota"), ("TN", "Tennessee"), ("TX", "Texas"),
    ("UT", "Utah"), ("VT", "Vermont"), ("VA", "Virginia"), ("WA", "Washington"),
    ("WV", "West Virginia"), ("WI", "Wisconsin"), ("WY", "Wyoming"),
]

zip_validator = RegexValidator(
    r"^\d{5}$", _("Enter a 5-digit US ZIP code, for example 10001."), code="invalid_zip"
)

_STATE_CODES = frozenset(code for code, _name in US_STATES)


def _state_codes(value: str) -> list[str]:
    """The codes typed in a list of states: commas, semicolons or spaces between them."""
    return [code for code in re.split(r"[\s,;]+", (value or "").upper()) if code]


def states_normalize(value: str) -> str:
    """A typed list of state codes as stored: sorted, each once, uppercase, comma-separated
    ("ny, NJ ny" → "NJ,NY")."""
    return ",".join(sorted(set(_state_codes(value))))


def states_validator(value: str) -> None:
    unknown = [code for code in dict.fromkeys(_state_codes(value)) if code not in _STATE_CODES]
    if unknown:
        raise ValidationError(
            _("Not a US state code: %(codes)s. Use two-letter codes such as NY, NJ."),
            code="invalid_state", params={"codes": ", ".join(unknown)},
        )


class LevelOfCare(models.Model):
    """One step on the continuum of care (DESIGN §5). Codes and ranks are fixed."""

    class Code(models.TextChoices):
        SELF_HELP = "self_help", _("Education and early intervention")
        OUTPATIENT = "outpatient", _("Outpatient")
        IOP = "iop", _("Intensive outpatient (IOP)")
        PHP = "php", _("Partial hospitalization (PHP)")
        RESIDENTIAL = "residential", _("Residential treatment")
        WITHDRAWAL_MANAGEMENT = "withdrawal_management", _(
            "Medically managed withdrawal / inpatient"
        )

    code = models.CharField(
        _("code"), max_length=32, choices=Code.choices, unique=True,
        help_text=_("Fixed code used by the screening rules. Do not change."),
    )
    rank = models.PositiveSmallIntegerField(
        _("rank"), unique=True,
        help_text=_("Order from least (0) to most intensive. Used by the screening rules."),
    )
    name = models.CharField(_("name"), max_length=100)
    asam_label = models.CharField(
        _("ASAM level"), max_length=20, blank=True,
        help_text=_("The matching ASAM criteria level, for example 2.1."),
    )
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown. Shown on the level's guide page.")
    )
    hours_min = models.PositiveSmallIntegerField(
        _("hours per week, minimum"), null=True, blank=True
    )
    hours_max = models.PositiveSmallIntegerField(
        _("hours per week, maximum"), null=True, blank=True
    )
    hours_note = models.CharField(
        _("hours in words"), max_length=100, blank=True,
        help_text=_("For example: 9–19 hours a week."),
    )
    setting = models.CharField(_("setting"), max_length=100)
    lives_at_home = models.BooleanField(
        _("person lives at home"), default=False,
        help_text=_("True for outpatient, IOP and PHP."),
    )
    who_it_fits = models.TextField(_("who it fits"), blank=True)
    relative_cost = models.CharField(
        _("relative cost"), max_length=40, blank=True,
        help_text=_("One or two words compared with the other levels, for example Moderate."),
    )
    step_down = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("usual next step"),
        help_text=_("The level people usually move on to after this one (for example IOP after "
                    "residential care). The screening result names it."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["rank"]
        verbose_name = _("level of care")
        verbose_name_plural = _("levels of care")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_min__isnull=True)
                | Q(hours_max__isnull=True)
                | Q(hours_min__lte=F("hours_max")),
                name="levelofcare_hours_min_lte_max",
                violation_error_message=_("Minimum hours must not be more than maximum hours."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("iop:level_detail", kwargs={"code": self.code})


class Service(models.Model):
    class Category(models.TextChoices):
        THERAPY = "therapy", _("Therapy and counseling")
        MEDICAL = "medical", _("Medical and medication")
        SUPPORT = "support", _("Support and recovery")
        PRACTICAL = "practical", _("Practical help")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"), max_length=120, unique=True,
        help_text=_("Short web name. The screening rules refer to some services by slug."),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self):
        return self.name


class LookupBase(models.Model):
    """A short named vocabulary item (population, payment option, accreditation)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Population(LookupBase):
    class Meta(LookupBase.Meta):
        verbose_name = _("population served")
        verbose_name_plural = _("populations served")


class PaymentOption(LookupBase):
    class Meta(LookupBase.Meta):
        verbose_name = _("payment option")
        verbose_name_plural = _("payment options")


class Accreditation(LookupBase):
    description = models.TextField(_("description"), blank=True)

    class Meta(LookupBase.Meta):
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")


class Language(models.Model):
    code = models.CharField(
        _("ISO 639 code"), max_length=3, unique=True,
        validators=[RegexValidator(r"^[a-z]{2,3}$", _("Use a 2 or 3 letter ISO 639 code."))],
    )
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self):
        return self.name


class ProgramQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def needs_verification(self):
        cutoff = timezone.localdate() - timedelta(days=settings.VERIFY_AFTER_DAYS)
        return self.filter(Q(last_verified__isnull=True) | Q(last_verified__lt=cutoff))


class Program(models.Model):
    class Accepting(models.TextChoices):
        YES = "yes", _("Accepting new patients")
        WAITLIST = "waitlist", _("Waitlist")
        NO = "no", _("Not accepting new patients")

    class Physician(models.TextChoices):
        NONE = "none", _("No physician")
        ON_CALL = "on_call", _("Physician on call")
        ON_STAFF = "on_staff", _("Physician on staff")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    summary = models.CharField(
        _("summary"), max_length=400, help_text=_("One or two sentences shown in lists.")
    )
    description = models.TextField(
        _("description"), blank=True,
        help_text=_("Markdown: **bold**, lists, links. HTML is removed."),
    )
    levels = models.ManyToManyField(
        LevelOfCare, related_name="programs", verbose_name=_("levels of care offered")
    )
    services = models.ManyToManyField(
        Service, through="ProgramService", related_name="programs", verbose_name=_("services")
    )
    populations = models.ManyToManyField(
        Population, blank=True, related_name="programs", verbose_name=_("populations served"),
        help_text=_("Leave empty if the program serves everyone in its age range."),
    )
    populations_only = models.BooleanField(
        _("only serves the populations listed"), default=False,
        help_text=_("Tick this if the program takes only people from the populations above "
                    "(for example only veterans). The screening then suggests it only to "
                    "people whose answers show they belong to one of them."),
    )
    age_min = models.PositiveSmallIntegerField(
        _("minimum age"), default=18, validators=[MaxValueValidator(120)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("maximum age"), null=True, blank=True, validators=[MaxValueValidator(120)],
        help_text=_("Leave empty for no upper age limit."),
    )
    hours_min = models.PositiveSmallIntegerField(
        _("hours per week, minimum"), null=True, blank=True, validators=[MaxValueValidator(168)]
    )
    hours_max = models.PositiveSmallIntegerField(
        _("hours per week, maximum"), null=True, blank=True, validators=[MaxValueValidator(168)]
    )
    sessions_per_week = models.PositiveSmallIntegerField(
        _("sessions per week"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
    )
    length_weeks = models.PositiveSmallIntegerField(
        _("typical length in weeks"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(104)],
    )
    schedule_day = models.BooleanField(_("daytime sessions"), default=False)
    schedule_evening = models.BooleanField(_("evening sessions"), default=False)
    schedule_weekend = models.BooleanField(_("weekend sessions"), default=False)
    telehealth = models.BooleanField(
        _("telehealth"), default=False, help_text=_("Sessions can be joined by video.")
    )
    telehealth_states = models.CharField(
        _("telehealth states"), max_length=250, blank=True, validators=[states_validator],
        help_text=_("Two-letter state codes, separated by commas, for example NY, NJ. Leave "
                    "blank to use the states of this program's locations."),
    )
    languages = models.ManyToManyField(
        Language, blank=True, related_name="programs", verbose_name=_("languages")
    )
    payment_options = models.ManyToManyField(
        PaymentOption, blank=True, related_name="programs", verbose_name=_("payment accepted")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)

    accepting = models.CharField(
        _("accepting new patients"), max_length=10, choices=Accepting.choices,
        default=Accepting.YES,
    )
    accepting_note = models.CharField(
        _("note on availability"), max_length=200, blank=True,
        help_text=_("For example: waitlist about two weeks."),
    )
    last_verified = models.DateField(
        _("last verified"), null=True, blank=True,
        help_text=_("When staff last confirmed this listing with the program. Shown publicly."),
    )
    accreditations = models.ManyToManyField(
        Accreditation, blank=True, related_name="programs", verbose_name=_("accreditations")
    )
    state_licensed = models.BooleanField(_("state licensed"), default=False)
    physician = models.CharField(
        _("physician"), max_length=10, choices=Physician.choices, default=Physician.NONE
    )
    licensed_clinicians = models.BooleanField(_("licensed clinicians"), default=False)
    offers_buprenorphine = models.BooleanField(_("offers buprenorphine"), default=False)
    offers_methadone = models.BooleanField(_("offers methadone"), default=False)
    offers_naltrexone = models.BooleanField(_("offers naltrexone"), default=False)
    aftercare = models.BooleanField(
        _("aftercare / continuing care"), default=False,
        help_text=_("Support continues after the program ends."),
    )

    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Only published programs are public.")
    )
    is_demo = models.BooleanField(
        _("demo listing"), default=False,
        help_text=_("Fictional listing for demonstration. Marked as such on the site."),
    )
    is_synthetic = models.BooleanField(
        _("synthetic test listing"), default=False,
        help_text=_("Generated for benchmarks and tests (generate_programs). Marked on the site."),
    )
    # Where an imported listing came from, so a re-import updates it instead of adding a copy.
    source = models.CharField(
        _("imported from"), max_length=40, blank=True, choices=[
            ("samhsa", _("SAMHSA treatment locator")), ("hsds", _("Open Referral (HSDS) file")),
        ],
        help_text=_("Set by the importers. Leave blank for listings typed in here."),
    )
    source_id = models.CharField(
        _("identifier at the source"), max_length=200, blank=True,
        help_text=_("The listing's identifier in the file it was imported from."),
    )
    # Kept up to date by iop.services.program_search_index_update (PostgreSQL full-text search).
    search_vector = SearchVectorField(null=True, blank=True, editable=False)
    search_text = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProgramQuerySet.as_manager()

    history = HistoricalRecords(
        excluded_fields=["search_vector", "search_text"],
        # Services are audited through ProgramService (a through model with its own history).
        m2m_fields=["levels", "populations", "languages", "payment_options", "accreditations"],
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(
                condition=Q(age_max__isnull=True) | Q(age_min__lte=F("age_max")),
                name="program_age_min_lte_max",
                violation_error_message=_("Minimum age must not be more than maximum age."),
            ),
            models.CheckConstraint(
                condition=Q(hours_min__isnull=True)
                | Q(hours_max__isnull=True)
                | Q(hours_min__lte=F("hours_max")),
                name="program_hours_min_lte_max",
                violation_error_message=_("Minimum hours must not be more than maximum hours."),
            ),
            models.CheckConstraint(
                condition=Q(age_min__lte=120)
                & (Q(age_max__isnull=True) | Q(age_max__lte=120)),
                name="program_age_range_valid",
                violation_error_message=_("Ages must be between 0 and 120."),
            ),
            models.CheckConstraint(
                condition=(Q(hours_max__isnull=True) | Q(hours_max__lte=168))
                & (Q(sessions_per_week__isnull=True) | Q(sessions_per_week__gte=1)),
                name="program_hours_sessions_valid",
                violation_error_message=_(
                    "Hours a week must be at most 168 and sessions at least 1."
                ),
            ),
            models.CheckConstraint(
                condition=Q(accepting__in=["yes", "waitlist", "no"]),
                name="program_accepting_valid",
            ),
            models.UniqueConstraint(
                fields=["source", "source_id"], condition=~Q(source_id=""),
                name="program_source_id_unique",
                violation_error_message=_("Another program was imported with this identifier."),
            ),
        ]
        indexes = [
            models.Index(fields=["is_published", "name"], name="program_pub_name_idx"),
            # The few programs that list the states their video sessions serve, found without
            # reading every program (screening matches near a ZIP code).
            models.Index(fields=["telehealth_states"], name="program_telehealth_listed_idx",
                         condition=Q(telehealth=True) & ~Q(telehealth_states="")),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.telehealth_states = states_normalize(self.telehealth_states)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("iop:program_detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        self.telehealth_states = states_normalize(self.telehealth_states)

    @property
    def telehealth_state_codes(self) -> list[str]:
        """The states whose residents can join by video: those listed, or when none are
        listed, those of the program's locations (prefetch them)."""
        if not self.telehealth:
            return []
        if self.telehealth_states:
            return self.telehealth_states.split(",")
        return sorted({location.state for location in self.locations.all()})

    @property
    def schedule_labels(self):
        return self.labels_of_schedule(
            self.schedule_day, self.schedule_evening, self.schedule_weekend
        )

    @classmethod
    def accepting_labels(cls) -> dict[str, str]:
        """Each accepting status → its label, worded once in the current language (for pages
        that show many programs' statuses)."""
        return {value: str(label) for value, label in cls.Accepting.choices}

    @staticmethod
    def labels_of_schedule(day: bool, evening: bool, weekend: bool) -> list:
        """The names of the times a program meets, from its three schedule flags (list cards
        call this with a row's flags, without making a Program)."""
        return [
            label
            for flag, label in (
                (day, _("Daytime")), (evening, _("Evenings")), (weekend, _("Weekends")),
            )
            if flag
        ]

    @property
    def medications(self):
        return [
            label
            for flag, label in (
                (self.offers_buprenorphine, _("buprenorphine")),
                (self.offers_methadone, _("methadone")),
                (self.offers_naltrexone, _("naltrexone")),
            )
            if flag
        ]

    @property
    def is_verification_due(self):
        if self.last_verified is None:
            return True
        return (timezone.localdate() - self.last_verified).days > settings.VERIFY_AFTER_DAYS


class ProgramService(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="program_services",
        verbose_name=_("program"),
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="program_services",
        verbose_name=_("service"),
    )
    note = models.CharField(
        _("note"), max_length=200, blank=True,
        help_text=_("Optional detail, for example: bus passes for the first month."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["service__category", "service__name"]
        verbose_name = _("service offered")
        verbose_name_plural = _("services offered")
        constraints = [
            models.UniqueConstraint(fields=["program", "service"], name="programservice_unique"),
        ]

    def __str__(self):
        return f"{self.program} – {self.service}"


class Location(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="locations", verbose_name=_("program")
    )
    street = models.CharField(_("street address"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    state = models.CharField(_("state"), max_length=2, choices=US_STATES)
    postal_code = models.CharField(_("ZIP code"), max_length=5, validators=[zip_validator])
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("For example: entrance on 3rd Street.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["state", "city", "street"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90))
                & (Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180)),
                name="location_coordinates_valid",
                violation_error_message=_("Latitude must be -90 to 90 and longitude -180 to 180."),
            ),
        ]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="location_lat_lng_idx"),
            models.Index(fields=["state"], name="location_state_idx"),
        ]

    def __str__(self):
        return f"{self.street}, {self.city}, {self.state} {self.postal_code}"

    def clean(self):
        """No coordinates but a ZIP code: take the ZIP code's center (offline data), so the
        location shows up in "near me" searches. Sets ``coordinates_from_zip`` for the admin
        to say so. A ZIP code that cannot be placed is an error."""
        super().clean()
        self.coordinates_from_zip = False
        if self.latitude is not None and self.longitude is not None:
            return
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                _("Enter both latitude and longitude, or leave both empty to fill them in "
                  "from the ZIP code."), code="partial_coordinates",
            )
        if not re.fullmatch(r"\d{5}", self.postal_code or ""):
            return  # the ZIP code's own validator reports it
        from iop.geo import zip_lookup

        point = zip_lookup(self.postal_code)
        if point is None:
            raise ValidationError({"postal_code": ValidationError(
                _("We could not place ZIP code %(zip)s on the map. Check it, or enter the "
                  "latitude and longitude."), code="unknown_zip",
                params={"zip": self.postal_code},
            )})
        self.latitude, self.longitude = point.latitude, point.longitude
        self.coordinates_from_zip = True


class CrisisResource(models.Model):
    """A crisis line shown on every page. Emergency resources come first in an emergency."""

    class Action(models.TextChoices):
        CALL = "call", _("Call")
        TEXT = "text", _("Text")

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    number = models.CharField(_("number"), max_length=40)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    description = models.CharField(_("when to use it"), max_length=300, blank=True)
    is_emergency = models.BooleanField(
        _("emergency"), default=False, help_text=_("Shown first when someone is in danger now.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("shown"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("crisis resource")
        verbose_name_plural = _("crisis resources")

    def __str__(self):
        return f"{self.name} ({self.number})"

    @property
    def href(self):
        digits = "".join(ch for ch in self.number if ch.isdigit())
        return f"{'sms' if self.action == self.Action.TEXT else 'tel'}:{digits}"
