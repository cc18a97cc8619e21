"""The reference data migration: levels, services, lookups and crisis lines."""

import importlib
import re

import django.apps
import pytest

from iop import reference_data as ref
from iop.models import (
    Accreditation,
    CrisisResource,
    Language,
    LevelOfCare,
    PaymentOption,
    Population,
    Service,
)

pytestmark = pytest.mark.django_db

LEVEL_RANKS = {
    "self_help": 0,
    "outpatient": 1,
    "iop": 2,
    "php": 3,
    "residential": 4,
    "withdrawal_management": 5,
}
REQUIRED_SERVICES = {
    "individual-counselling", "group-counselling", "cbt", "dbt", "drug-alcohol-testing",
    "medication-assisted-treatment", "case-management", "crisis-line-24h", "family-therapy",
    "peer-support-groups", "employment-help", "transportation-assistance",
    "sober-living-referral", "telehealth", "medically-managed-withdrawal",
}
REQUIRED_PAYMENTS = {"medicaid", "medicare", "private-insurance", "sliding-fee", "self-pay", "free"}


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            LevelOfCare, Service, Population, PaymentOption, Accreditation, Language,
            CrisisResource,
        )
    }


def test_levels_are_the_six_design_codes_with_fixed_ranks():
    assert dict(LevelOfCare.objects.values_list("code", "rank")) == LEVEL_RANKS


def test_levels_order_by_rank():
    assert [level.rank for level in LevelOfCare.objects.all()] == [0, 1, 2, 3, 4, 5]


def test_levels_living_at_home_are_outpatient_iop_php():
    at_home = set(LevelOfCare.objects.filter(lives_at_home=True).values_list("code", flat=True))
    assert {"outpatient", "iop", "php"} <= at_home
    assert not at_home & {"residential", "withdrawal_management"}


def test_iop_level_hours_are_9_to_19():
    iop = LevelOfCare.objects.get(code="iop")
    assert (iop.hours_min, iop.hours_max, iop.asam_label) == (9, 19, "2.1")


def test_required_services_present():
    slugs = set(Service.objects.values_list("slug", flat=True))
    assert REQUIRED_SERVICES <= slugs


def test_every_service_has_a_known_category():
    categories = set(Service.objects.values_list("category", flat=True))
    assert categories <= set(Service.Category.values)


def test_required_payment_options_present():
    slugs = set(PaymentOption.objects.values_list("slug", flat=True))
    assert REQUIRED_PAYMENTS <= slugs


def test_languages_include_english_and_spanish():
    assert {"en", "es"} <= set(Language.objects.values_list("code", flat=True))


def test_populations_and_accreditations_loaded():
    assert Population.objects.filter(slug="veterans").exists()
    assert Accreditation.objects.filter(slug="joint-commission").exists()


def test_crisis_resources_include_911_and_988():
    numbers = set(CrisisResource.objects.filter(is_active=True).values_list("number", flat=True))
    assert {"911", "988"} <= numbers


def test_crisis_911_is_the_emergency_line_and_first():
    first = CrisisResource.objects.first()
    assert (first.number, first.is_emergency) == ("911", True)


def test_988_offers_call_and_text():
    actions = set(CrisisResource.objects.filter(number="988").values_list("action", flat=True))
    assert actions == {"call", "text"}


def test_load_again_does_not_duplicate():
    before = _counts()
    migration = importlib.import_module("iop.migrations.0002_load_reference_data")
    migration.load(django.apps.apps, None)
    assert _counts() == before



UK_SPELLING = re.compile(r"counsell|behaviour|\bcentres?\b|one-to-one|neighbour", re.I)


def test_shipped_english_uses_us_spelling():
    """DESIGN §9: US spelling (slugs, which are addresses, keep their first spelling)."""
    import json
    from pathlib import Path

    data = json.loads((Path(ref.__file__).parent / "data" / "reference_data.json").read_text())

    def texts(value, key=None):
        if isinstance(value, dict):
            for name, item in value.items():
                if name not in ("slug", "code"):
                    yield from texts(item, name)
        elif isinstance(value, list):
            for item in value:
                yield from texts(item, key)
        elif isinstance(value, str):
            yield value

    assert [text for text in texts(data) if UK_SPELLING.search(text)] == []


def test_the_database_copy_uses_us_spelling_too():
    names = list(Service.objects.values_list("name", flat=True))
    assert "Individual counseling" in names
    assert not [name for name in names if UK_SPELLING.search(name)]
