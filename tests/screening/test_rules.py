"""The rules the live screening reads from the database are the shipped version 1."""

import pytest

from screening import default_questionnaire
from screening.models import Questionnaire
from screening.rules import live_rules, rules_build

pytestmark = pytest.mark.django_db


def test_database_copy_of_v1_equals_the_pure_data():
    published = Questionnaire.objects.get(
        version=default_questionnaire.VERSION, status=Questionnaire.Status.PUBLISHED
    )
    assert rules_build(published).questionnaire == default_questionnaire.build_questionnaire()


def test_live_rules_are_v1():
    assert live_rules().questionnaire == default_questionnaire.build_questionnaire()
