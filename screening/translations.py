"""A questionnaire's words in other languages, in its document form (docs/questionnaire-format.md,
"translations").

The database keeps them in the ``*_es`` columns django-modeltranslation adds
(screening/translation.py) and, for the optional questions, in
``Questionnaire.extras_translations``. In the document they sit under
``"translations": {"es": {...}}``, keyed the way the document keys its parts: steps,
questions, requirements, scores, rules and flags by key, answers by value, a score's bands in
order. Only words are translated: the engine never reads this part, so a translation can
never change a suggestion.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.apps import apps as django_apps
from django.conf import settings

#: Languages besides English that carry stored words.
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES if code != "en")

# document part -> (model, {word in the document: model field}, longest allowed or None)
STEP_WORDS = {"title": "title", "intro": "intro"}
QUESTION_WORDS = {"text": "text", "help_text": "help_text", "error": "error_message"}
OPTION_WORDS = {"label": "label", "explanation": "explanation"}
REQUIREMENT_WORDS = {"name": "name", "help_text": "help_text"}
SCORE_WORDS = {"name": "name", "help_text": "help_text"}
BAND_WORDS = {"label": "label", "meaning": "meaning"}
RULE_WORDS = {"name": "name", "explanation": "explanation"}
FLAG_WORDS = {"name": "name", "note": "note"}
EXTRA_WORDS = ("text", "help_text", "error")

LONGEST = {  # the database's limits, checked before writing
    ("steps", "title"): 120, ("questions", "text"): 300, ("questions", "error"): 200,
    ("options", "label"): 200, ("requirements", "name"): 120, ("scores", "name"): 120,
    ("bands", "label"): 120, ("rules", "name"): 200, ("flags", "name"): 120,
}


def _words(row, fields: Mapping[str, str], language: str) -> dict:
    found = {}
    for word, field in fields.items():
        value = getattr(row, f"{field}_{language}", None)
        if value:
            found[word] = value
    return found


def translations_of(*, questionnaire, steps: Iterable, questions: Iterable,
                    requirements: Iterable, scores: Iterable, rules: Iterable,
                    flags: Iterable) -> dict:
    """The document's ``translations`` part from rows already read (no query of its own)."""
    steps, questions, requirements = list(steps), list(questions), list(requirements)
    scores, rules, flags = list(scores), list(rules), list(flags)
    result = {}
    for language in LANGUAGES:
        part: dict = {}

        def put(section, key, words, part=part):
            if words:
                part.setdefault(section, {})[key] = words

        for step in steps:
            put("steps", step.key, _words(step, STEP_WORDS, language))
        for question in questions:
            words = _words(question, QUESTION_WORDS, language)
            options = {o.value: w for o in question.options.all()
                       if (w := _words(o, OPTION_WORDS, language))}
            if options:
                words["options"] = options
            put("questions", question.key, words)
        for requirement in requirements:
            put("requirements", requirement.key,
                _words(requirement, REQUIREMENT_WORDS, language))
        for score in scores:
            words = _words(score, SCORE_WORDS, language)
            bands = [_words(band, BAND_WORDS, language)
                     for band in sorted(score.bands.all(), key=lambda band: band.min_points)]
            if any(bands):
                words["bands"] = bands
            put("scores", score.key, words)
        for rule in rules:
            put("rules", rule.key, _words(rule, RULE_WORDS, language))
        for flag in flags:
            put("flags", flag.key, _words(flag, FLAG_WORDS, language))
        extras = (questionnaire.extras_translations or {}).get(language) or {}
        if extras:
            part["extras"] = extras
        if part:
            result[language] = part
    return result


def translation_problems(data: Mapping) -> list[str]:
    """What is wrong with a document's ``translations`` part: unknown languages or parts, words
    that are not text, texts the database would cut."""
    translations = data.get("translations")
    if translations is None:
        return []
    if not isinstance(translations, Mapping):
        return ["“translations” must be an object of languages."]
    problems = []
    known = {
        "steps": {s.get("key") for s in data.get("steps", []) if isinstance(s, Mapping)},
        "questions": {q.get("key"): {o.get("value") for o in q.get("options", [])
                                     if isinstance(o, Mapping)}
                      for q in data.get("questions", []) if isinstance(q, Mapping)},
        "requirements": {r.get("key") for r in data.get("requirements", [])
                         if isinstance(r, Mapping)},
        "scores": {s.get("key"): len(s.get("bands", [])) for s in data.get("scores", [])
                   if isinstance(s, Mapping)},
        "rules": {r.get("key") for r in data.get("rules", []) if isinstance(r, Mapping)},
        "flags": {f.get("key") for f in data.get("flags", []) if isinstance(f, Mapping)},
        "extras": {e.get("key") for e in data.get("extras", []) if isinstance(e, Mapping)},
    }
    fields = {"steps": STEP_WORDS, "questions": QUESTION_WORDS, "requirements":
              REQUIREMENT_WORDS, "scores": SCORE_WORDS, "rules": RULE_WORDS,
              "flags": FLAG_WORDS, "extras": dict.fromkeys(EXTRA_WORDS)}

    def words(where, section, value, allowed, nested=()):
        if not isinstance(value, Mapping):
            problems.append(f"{where} must be an object.")
            return
        for word, text in value.items():
            if word in nested:
                continue
            if word not in allowed:
                problems.append(f"{where}: “{word}” cannot be translated.")
            elif not isinstance(text, str):
                problems.append(f"{where}.{word} must be text.")
            elif len(text) > LONGEST.get((section, word), 10_000):
                problems.append(f"{where}.{word} is longer than "
                                f"{LONGEST[(section, word)]} characters.")

    for language, part in translations.items():
        if language not in LANGUAGES:
            problems.append(f"translations: “{language}” is not one of the site's languages "
                            f"({', '.join(LANGUAGES)}).")
            continue
        if not isinstance(part, Mapping):
            problems.append(f"translations.{language} must be an object.")
            continue
        for section, items in part.items():
            where = f"translations.{language}.{section}"
            if section not in known:
                problems.append(f"{where}: unknown part.")
                continue
            if not isinstance(items, Mapping):
                problems.append(f"{where} must be an object keyed by {section[:-1]} key.")
                continue
            for key, value in items.items():
                at = f"{where}.{key}"
                if key not in known[section]:
                    problems.append(f"{at}: no such {section[:-1]} in this document.")
                    continue
                nested = {"questions": ("options",), "scores": ("bands",),
                          "extras": ("choices",)}.get(section, ())
                words(at, section, value, fields[section], nested)
                if not isinstance(value, Mapping):
                    continue
                if section == "questions":
                    for answer, option in (value.get("options") or {}).items():
                        if answer not in known["questions"][key]:
                            problems.append(f"{at}.options.{answer}: no such answer.")
                        else:
                            words(f"{at}.options.{answer}", "options", option, OPTION_WORDS)
                if section == "scores":
                    bands = value.get("bands") or []
                    if not isinstance(bands, list) or len(bands) > known["scores"][key]:
                        problems.append(f"{at}.bands must be a list, one per band.")
                    else:
                        for number, band in enumerate(bands):
                            words(f"{at}.bands[{number}]", "bands", band, BAND_WORDS)
                if section == "extras":
                    choices = value.get("choices") or {}
                    if not isinstance(choices, Mapping):
                        problems.append(f"{at}.choices must be an object keyed by value.")
                    else:
                        for choice, label in choices.items():
                            words(f"{at}.choices.{choice}", "options", label, ("label",))
    return problems


def _set(manager, words: Mapping, fields: Mapping[str, str], language: str) -> None:
    values = {f"{fields[word]}_{language}": text for word, text in words.items()
              if word in fields and isinstance(text, str)}
    if values:
        manager.update(**values)


def translations_apply(questionnaire, translations: Mapping, *, update_flags: bool = False,
                       models=django_apps) -> None:
    """Write a document's ``translations`` into one version's rows (checked before, by
    `translation_problems`). Flags are shared by every version: their words are written only
    where they have none yet, or everywhere with ``update_flags``. Works with a data
    migration's historical models too (through ``models``)."""
    M = {name: models.get_model("screening", name) for name in (
        "Step", "Question", "Option", "Requirement", "Score", "ScoreBand", "Rule", "Flag")}
    for language, part in (translations or {}).items():
        if language not in LANGUAGES:
            continue
        mine = {"questionnaire": questionnaire}
        for key, words in (part.get("steps") or {}).items():
            _set(M["Step"].objects.filter(key=key, **mine), words, STEP_WORDS, language)
        for key, words in (part.get("questions") or {}).items():
            _set(M["Question"].objects.filter(key=key, **mine), words, QUESTION_WORDS, language)
            for value, option in (words.get("options") or {}).items():
                _set(M["Option"].objects.filter(question__questionnaire=questionnaire,
                                                question__key=key, value=value),
                     option, OPTION_WORDS, language)
        for key, words in (part.get("requirements") or {}).items():
            _set(M["Requirement"].objects.filter(key=key, **mine), words, REQUIREMENT_WORDS,
                 language)
        for key, words in (part.get("scores") or {}).items():
            _set(M["Score"].objects.filter(key=key, **mine), words, SCORE_WORDS, language)
            bands = M["ScoreBand"].objects.filter(
                score__questionnaire=questionnaire, score__key=key).order_by("min_points")
            for band, band_words in zip(bands, words.get("bands") or [], strict=False):
                _set(M["ScoreBand"].objects.filter(pk=band.pk), band_words, BAND_WORDS,
                     language)
        for key, words in (part.get("rules") or {}).items():
            _set(M["Rule"].objects.filter(key=key, **mine), words, RULE_WORDS, language)
        for key, words in (part.get("flags") or {}).items():
            flags = M["Flag"].objects.filter(key=key)
            if not update_flags:
                flags = flags.filter(**{f"name_{language}__isnull": True}) | flags.filter(
                    **{f"name_{language}": ""})
            _set(flags, words, FLAG_WORDS, language)
        if part.get("extras"):
            kept = dict(questionnaire.extras_translations or {})
            kept[language] = part["extras"]
            questionnaire.extras_translations = kept
            questionnaire.save(update_fields=["extras_translations"])


def extras_in(extras: list, translations: Mapping, language: str) -> list:
    """The optional questions with their words in ``language`` where it has them (the
    structure, values and payment links are always the English document's)."""
    words = (translations or {}).get(language) or {}
    if not words:
        return list(extras)
    result = []
    for extra in extras:
        mine = words.get(extra.get("key")) or {}
        extra = dict(extra)
        for word in EXTRA_WORDS:
            if mine.get(word):
                extra[word] = mine[word]
        if extra.get("choices") and mine.get("choices"):
            extra["choices"] = [
                {**choice, "label": (mine["choices"].get(choice.get("value")) or {}).get(
                    "label") or choice.get("label")}
                for choice in extra["choices"]
            ]
        result.append(extra)
    return result
