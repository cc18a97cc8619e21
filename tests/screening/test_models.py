import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from screening.models import Clause, Option, Question, Questionnaire, Rule, SeverityBand

pytestmark = pytest.mark.django_db


def test_v1_and_v2_are_published_by_the_data_migrations():
    v1 = Questionnaire.objects.get(version=1)
    assert v1.is_published
    assert v1.questions.count() == 18
    assert v1.bands.count() == 4
    v2 = Questionnaire.objects.get(version=2)
    assert v2.is_published
    assert v2.questions.count() == 27
    assert v2.scores.count() == 2
    assert v2.rules.count() >= 8
    assert v2.test_cases.count() >= 40


def test_published_rows_refuse_changes_new_rows_and_deletes():
    question = Question.objects.get(questionnaire__version=1, key="frequency")
    question.text = "Changed"
    with pytest.raises(ValidationError) as error:
        question.save()
    assert error.value.code == "published_locked"
    with pytest.raises(ValidationError):
        Option(question=question, order=99, value="hourly", label="Hourly", points=5).save()
    with pytest.raises(ValidationError):
        SeverityBand.objects.filter(questionnaire__version=1).first().delete()
    assert Option.objects.filter(value="hourly").count() == 0


def test_published_rules_and_conditions_refuse_changes():
    rule = Rule.objects.filter(questionnaire__version=2).first()
    rule.min_level = "residential"
    with pytest.raises(ValidationError):
        rule.save()
    clause = Clause.objects.filter(rule__questionnaire__version=2).first()
    with pytest.raises(ValidationError):
        clause.delete()
    shown = Clause.objects.filter(shown_question__questionnaire__version=2).first()
    shown.values = "none"
    with pytest.raises(ValidationError):
        shown.save()


def test_a_condition_belongs_to_exactly_one_owner():
    rule = Rule.objects.filter(questionnaire__version=2).first()
    question = Question.objects.get(questionnaire__version=2, key="alcohol_binge")
    with pytest.raises(IntegrityError), transaction.atomic():
        Clause.objects.bulk_create([Clause(
            rule=rule, shown_question=question, kind="at_least", question=question,
            values="weekly",
        )])
    with pytest.raises(IntegrityError), transaction.atomic():
        Clause.objects.bulk_create([Clause(
            rule=rule, kind="at_least", question=question, values="",
        )])
