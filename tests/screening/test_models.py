import pytest
from django.core.exceptions import ValidationError

from screening.models import Option, Question, Questionnaire, SeverityBand

pytestmark = pytest.mark.django_db


def test_v1_is_published_by_the_data_migration():
    v1 = Questionnaire.objects.get(version=1)
    assert v1.is_published
    assert v1.questions.count() == 18
    assert v1.bands.count() == 4


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
