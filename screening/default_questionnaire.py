"""Version 1 of the self-screening questionnaire (DESIGN §5 and §6) as plain data.

No Django here: the data migration loads these lists into the database, and the tests and the
``screen`` command can use :func:`build_questionnaire` without one. Keys, option values and
their effects are fixed by DESIGN §6; the wording is ours and staff may edit it in the admin.

Options are listed from mild to severe. Keep it that way: the result is only guaranteed never
to go down when an answer gets more serious because of that order.
"""

from __future__ import annotations

from screening import engine

VERSION = 1

# --------------------------------------------------------------------------- levels (§5)

LEVELS = [
    {"code": "self_help", "rank": 0, "name": "Education and early intervention", "step_down": None},
    {"code": "outpatient", "rank": 1, "name": "Outpatient", "step_down": None},
    {"code": "iop", "rank": 2, "name": "Intensive outpatient (IOP)", "step_down": None},
    {"code": "php", "rank": 3, "name": "Partial hospitalization (PHP)", "step_down": None},
    {"code": "residential", "rank": 4, "name": "Residential treatment", "step_down": "iop"},
    {
        "code": "withdrawal_management",
        "rank": 5,
        "name": "Medically managed withdrawal / inpatient",
        "step_down": "iop",
    },
]

# --------------------------------------------------------------------------- steps

STEPS = [
    {
        "key": "safety",
        "title": "Your safety",
        "intro": (
            "We start with your safety. These questions help us show you the right help first. "
            "There is no name or email here, and your answers are not saved."
        ),
    },
    {
        "key": "use",
        "title": "Alcohol and drug use",
        "intro": (
            "Next, a few questions about alcohol and drugs. There are no right or wrong answers. "
            "Honest answers give you the most useful result."
        ),
    },
    {
        "key": "withdrawal",
        "title": "Cutting down or stopping",
        "intro": (
            "Stopping can be hard on your body. These questions help us see if you need medical "
            "care to stop safely."
        ),
    },
    {
        "key": "health",
        "title": "Your health",
        "intro": "Your mind and body matter too. Many people get help for both at the same time.",
    },
    {
        "key": "situation",
        "title": "Your life right now",
        "intro": (
            "Last, a few questions about home and daily life. They help us find programs that fit "
            "your life."
        ),
    },
]

# --------------------------------------------------------------------------- questions (§6)

D1 = "1 Intoxication and withdrawal"
D2 = "2 Biomedical"
D3 = "3 Emotional, behavioural or cognitive"
D4 = "4 Readiness to change"
D5 = "5 Continued use or relapse potential"
D6 = "6 Recovery environment"


def _option(
    value: str,
    label: str,
    explanation: str = "",
    *,
    points: int = 0,
    min_level: str | None = None,
    crisis: bool = False,
    flags: tuple[str, ...] = (),
    requirement: str | None = None,
    requirement_status: str | None = None,
) -> dict:
    return {
        "value": value,
        "label": label,
        "points": points,
        "min_level": min_level,
        "crisis": crisis,
        "flags": list(flags),
        "requirement": requirement,
        "requirement_status": requirement_status,
        "explanation": explanation,
    }


def _question(
    key: str,
    step: str,
    order: int,
    text: str,
    help_text: str,
    dimension: str,
    options: list[dict],
    *,
    multiple: bool = False,
    required: bool = True,
) -> dict:
    return {
        "key": key,
        "step": step,
        "order": order,
        "text": text,
        "help_text": help_text,
        "multiple": multiple,
        "required": required,
        "dimension": dimension,
        "options": options,
    }


QUESTIONS = [
    # ---- safety
    _question(
        "safety",
        "safety",
        1,
        "Right now, are you having thoughts of ending your life or hurting someone else? "
        "Or are you in danger?",
        "We ask so we can show you how to get help right away if you need it. "
        "Your answer stays private.",
        D3,
        [
            _option("no", "No"),
            _option(
                "thoughts",
                "I have these thoughts, but no plan",
                "You said you are having thoughts of ending your life or hurting someone. "
                "You deserve support now, so we show you who to call or text first.",
                crisis=True,
            ),
            _option(
                "danger_now",
                "I have a plan, I mean to act on it, or I am in danger now",
                "You said you have a plan or are in danger now. Your safety comes first, "
                "so please call 911 or go to the nearest emergency room now.",
                crisis=True,
                flags=("emergency",),
            ),
        ],
    ),
    _question(
        "age_group",
        "safety",
        2,
        "How old are you?",
        "Some programs are just for young people or for older adults. "
        "We use your age group only to find programs that fit you.",
        D2,
        [
            _option(
                "under_18",
                "Under 18",
                "You said you are under 18, so we look for programs made for young people.",
                flags=("adolescent",),
            ),
            _option("18_25", "18 to 25"),
            _option("26_64", "26 to 64"),
            _option("65_plus", "65 or older"),
        ],
    ),
    _question(
        "pregnant",
        "safety",
        3,
        "Are you pregnant?",
        "Some care is different during pregnancy, and some programs offer care for you and "
        "your baby. Your answer stays private.",
        D2,
        [
            _option("no_or_na", "No, or this does not apply to me"),
            _option(
                "not_sure",
                "I'm not sure",
                "You said you might be pregnant, so a doctor or nurse should be part of your plan.",
                flags=("medical_review",),
            ),
            _option(
                "yes",
                "Yes",
                "You said you are pregnant, so a doctor or nurse should be part of your plan. "
                "Care can keep you and your baby safe.",
                flags=("medical_review",),
            ),
        ],
    ),
    # ---- use
    _question(
        "substances",
        "use",
        1,
        "Which of these have you used in the past month? Choose all that apply.",
        "Different substances need different kinds of care. This helps us point you to the "
        "right kind. Your answers stay private.",
        D1,
        [
            _option("alcohol", "Alcohol"),
            _option(
                "opioids",
                "Opioids (like heroin, fentanyl, or pain pills not taken as prescribed)",
                "You said you use opioids. Medicines can help you stop safely, so we include "
                "information about them.",
                flags=("medication_info",),
            ),
            _option(
                "sedatives",
                "Sedatives or sleeping pills (like Xanax, Valium or Klonopin)",
                "You said you use sedatives. Please don't stop them all at once on your own. "
                "Stopping suddenly can be dangerous, so talk with a doctor first.",
                flags=("no_abrupt_stop",),
            ),
            _option(
                "stimulants",
                "Stimulants (like cocaine, meth, or ADHD pills not taken as prescribed)",
            ),
            _option("cannabis", "Cannabis (marijuana, weed)"),
            _option("other", "Something else"),
        ],
        multiple=True,
    ),
    _question(
        "frequency",
        "use",
        2,
        "In the past month, how often did you drink or use drugs?",
        "How often you use helps show how much support could help. Your answer stays private.",
        D5,
        [
            _option("none", "Not at all"),
            _option(
                "monthly_or_less",
                "Once a month or less",
                "You said you used once a month or less. That counts a little toward more support.",
                points=1,
            ),
            _option(
                "weekly",
                "About once a week",
                "You said you use about once a week, so some support could help.",
                points=2,
            ),
            _option(
                "several_times_a_week",
                "A few times a week",
                "You said you use a few times a week, so more support could help.",
                points=3,
            ),
            _option(
                "daily",
                "Every day or almost every day",
                "You said you use every day or almost every day, so more support could really "
                "help.",
                points=4,
            ),
        ],
    ),
    _question(
        "consequences",
        "use",
        3,
        "In the past year, has drinking or drug use caused problems with your health, family, "
        "work, school or the law?",
        "Problems in daily life show how much use affects you. Your answer stays private.",
        D5,
        [
            _option("no", "No"),
            _option(
                "some",
                "Some problems",
                "You said use has caused some problems in your life, so support could help.",
                points=1,
            ),
            _option(
                "serious",
                "Serious problems",
                "You said use has caused serious problems in your life, so more support could "
                "help.",
                points=3,
            ),
        ],
    ),
    _question(
        "control",
        "use",
        4,
        "Have you tried to cut down or stop, and found you couldn't?",
        "Many people find it hard to stop on their own. That is common, and it helps us see "
        "what kind of support fits.",
        D5,
        [
            _option("no", "No"),
            _option(
                "once",
                "Yes, once",
                "You said you tried to cut down once and it was hard, so support could help.",
                points=1,
            ),
            _option(
                "many_times",
                "Yes, many times",
                "You said you tried to cut down many times, so more support could help.",
                points=2,
            ),
        ],
    ),
    _question(
        "relapse",
        "use",
        5,
        "In the past year, did you go back to using after treatment or a time without using?",
        "Going back to use is common, and it is not a failure. It helps us see how much "
        "support could help now.",
        D5,
        [
            _option("no_or_na", "No, or this does not apply to me"),
            _option(
                "yes",
                "Yes",
                "You said you went back to using after a time without it. That happens to many "
                "people, and more support can help you keep going.",
                points=2,
            ),
        ],
    ),
    # ---- withdrawal
    _question(
        "withdrawal",
        "withdrawal",
        1,
        "What happens when you cut down or stop?",
        "Some people get sick when they stop. We ask so you can stop safely, with medical care "
        "if you need it.",
        D1,
        [
            _option("none", "Nothing much"),
            _option("mild", "I get cravings, sleep badly or feel on edge"),
            _option(
                "managed_with_medication", "I have symptoms, but medicine from my doctor helps"
            ),
            _option(
                "strong",
                "I shake, sweat, throw up or my heart races, and I can't get through it",
                "You said stopping makes you very sick. Medical care can help you stop safely, "
                "so that comes first.",
                min_level="withdrawal_management",
                requirement="withdrawal_managed",
                requirement_status="unmet",
            ),
        ],
    ),
    _question(
        "withdrawal_danger",
        "withdrawal",
        2,
        "When you stopped, did you ever have a seizure, see or hear things that weren't there, "
        "or get very confused?",
        "These signs can be dangerous. We ask so you can get medical care to stop safely.",
        D1,
        [
            _option("no", "No"),
            _option(
                "in_the_past",
                "Yes, in the past",
                "You said you had a seizure or very bad symptoms when you stopped before. "
                "Stopping with medical care is safest, so that comes first.",
                min_level="withdrawal_management",
                flags=("medical_review",),
            ),
            _option(
                "now",
                "Yes, it is happening now",
                "You said this is happening now. This is a medical emergency, so please call 911 "
                "or go to the nearest emergency room now.",
                min_level="withdrawal_management",
                crisis=True,
                flags=("emergency",),
            ),
        ],
    ),
    # ---- health
    _question(
        "mental_health",
        "health",
        1,
        "Do you live with depression, anxiety, trauma, an eating disorder or another "
        "mental health condition?",
        "Many people have mental health and substance use concerns at the same time. Care that "
        "treats both works best. Your answer stays private.",
        D3,
        [
            _option("no", "No"),
            _option(
                "yes_managed",
                "Yes, and I can manage it day to day",
                "You said you live with a mental health condition, so we look for programs that "
                "care for both.",
                flags=("co_occurring",),
            ),
            _option(
                "yes_hard_to_manage",
                "Yes, and it is hard to manage right now",
                "You said your mental health is hard to manage right now. You may need care most "
                "days of the week, so we suggest at least partial hospitalization.",
                min_level="php",
                flags=("co_occurring",),
            ),
        ],
    ),
    _question(
        "medical",
        "health",
        2,
        "Do you have a health condition that needs close medical care every day?",
        "Some programs have doctors and nurses on site every day. We ask so you get the "
        "medical care you need.",
        D2,
        [
            _option("no", "No"),
            _option(
                "yes",
                "Yes",
                "You said you need close medical care every day, so we suggest a program with "
                "daily medical care, like partial hospitalization.",
                min_level="php",
                flags=("medical_review",),
            ),
        ],
    ),
    # ---- situation
    _question(
        "housing",
        "situation",
        1,
        "Is your home free of alcohol and drugs, and a safe place for your recovery?",
        "Recovery is easier in a home without alcohol and drugs. If yours isn't, there are "
        "places that can help. Your answer stays private.",
        D6,
        [
            _option("yes", "Yes", requirement="sober_housing", requirement_status="met"),
            _option(
                "no_but_could_move",
                "No, but I could move to a sober living home",
                "You said your home is not free of alcohol and drugs, but you could move. "
                "A sober living home can give you a safe place to live during treatment.",
                requirement="sober_housing",
                requirement_status="addressable",
            ),
            _option(
                "no",
                "No",
                "You said your home is not free of alcohol and drugs. A safe place to live "
                "matters for recovery, so we include help with housing.",
                requirement="sober_housing",
                requirement_status="unmet",
            ),
        ],
    ),
    _question(
        "transport",
        "situation",
        2,
        "Can you get to a treatment center 3 to 5 times a week?",
        "Many programs meet several times a week. If getting there is hard, some programs offer "
        "rides or online sessions.",
        D6,
        [
            _option("yes", "Yes", requirement="transport", requirement_status="met"),
            _option(
                "sometimes",
                "Sometimes",
                "You said getting to a center is sometimes hard, so we look for programs that "
                "offer rides or online sessions.",
                requirement="transport",
                requirement_status="addressable",
            ),
            _option(
                "no",
                "No",
                "You said you can't easily get to a center, so we look for programs that offer "
                "rides or online sessions.",
                requirement="transport",
                requirement_status="addressable",
            ),
        ],
    ),
    _question(
        "support",
        "situation",
        3,
        "Do you have family or friends who support your recovery?",
        "Support from others helps recovery. If you don't have it yet, groups and counsellors "
        "can help. Your answer stays private.",
        D6,
        [
            _option("yes", "Yes", requirement="support_network", requirement_status="met"),
            _option(
                "some",
                "Some",
                "You said you have some support, so we look for programs with peer groups and "
                "family therapy.",
                requirement="support_network",
                requirement_status="addressable",
            ),
            _option(
                "no",
                "No",
                "You said you don't have people who support your recovery yet, so we look for "
                "programs with peer groups, family therapy and case management.",
                requirement="support_network",
                requirement_status="addressable",
            ),
        ],
    ),
    _question(
        "responsibilities",
        "situation",
        4,
        "Do you need to keep working, going to school or caring for family during treatment?",
        "Many programs meet in the daytime or evening, so you can keep up with your life.",
        D6,
        [
            _option("no", "No"),
            _option(
                "yes",
                "Yes",
                "You said you need to keep up with work, school or family, so we look for "
                "programs with flexible times.",
                flags=("flexible_schedule",),
            ),
        ],
    ),
    _question(
        "recent_treatment",
        "situation",
        5,
        "In the past month, did you finish a stay in detox, a hospital, or a residential "
        "or day program?",
        "After a stay like this, many people take a next step with less intensive care. "
        "It helps keep your progress going.",
        D5,
        [
            _option("no", "No"),
            _option(
                "detox",
                "Yes, detox or a hospital stay",
                "You said you recently finished detox. An intensive outpatient program is a good "
                "next step, so we suggest at least that.",
                min_level="iop",
                flags=("step_down",),
            ),
            _option(
                "residential_or_php",
                "Yes, a residential or day program",
                "You said you recently finished a residential or day program. An intensive "
                "outpatient program can help you keep going, so we suggest at least that.",
                min_level="iop",
                flags=("step_down",),
            ),
        ],
    ),
    _question(
        "readiness",
        "situation",
        6,
        "How do you feel about making a change?",
        "There is no wrong answer. It helps us suggest next steps that fit where you are now.",
        D4,
        [
            _option("ready", "I'm ready to make a change"),
            _option("thinking", "I'm thinking about it"),
            _option("not_sure", "I'm not sure yet"),
        ],
    ),
]

# --------------------------------------------------------------------------- matching-only extras

EXTRAS = [
    {
        "key": "payment",
        "text": "How would you pay for treatment?",
        "help_text": "We use this only to find programs that take your insurance. It is not saved.",
        "choices": [
            ("medicaid", "Medicaid"),
            ("medicare", "Medicare"),
            ("private", "Private insurance"),
            ("self_pay", "I would pay myself"),
            ("not_sure", "I'm not sure"),
        ],
    },
    {
        "key": "language",
        "text": "What language would you like your care in?",
        "help_text": "We use this only to find programs that speak your language. It is not saved.",
        "choices": [
            ("en", "English"),
            ("es", "Spanish (Español)"),
        ],
    },
    {
        "key": "zip",
        "text": "What is your ZIP code?",
        "help_text": "We use this only to show programs near you. It is not saved.",
    },
]

EXTRA_KEYS = frozenset(extra["key"] for extra in EXTRAS)

# --------------------------------------------------------------------------- requirements (§6)

HOME_LEVELS = ["outpatient", "iop", "php"]

REQUIREMENTS = [
    {
        "key": "sober_housing",
        "name": "Substance-free place to live",
        "applies_to": ["iop", "php"],
        "remedies": ["sober-living-referral"],
        "escalation_level": "residential",
        "help_text": (
            "In IOP and day programs you live at home, so home needs to be free of alcohol and "
            "drugs. A sober living home can give you that."
        ),
    },
    {
        "key": "transport",
        "name": "Reliable transport",
        "applies_to": list(HOME_LEVELS),
        "remedies": ["telehealth", "transportation-assistance"],
        "escalation_level": None,
        "help_text": (
            "You need a way to get to sessions several times a week. Some programs offer rides "
            "or online sessions."
        ),
    },
    {
        "key": "support_network",
        "name": "Supportive people",
        "applies_to": list(HOME_LEVELS),
        "remedies": ["case-management", "family-therapy", "peer-support-groups"],
        "escalation_level": None,
        "help_text": (
            "People who back your recovery make it easier. Peer groups and counsellors can help "
            "you build that."
        ),
    },
    {
        "key": "withdrawal_managed",
        "name": "Able to stop safely",
        "applies_to": list(HOME_LEVELS),
        "remedies": ["medically-managed-withdrawal"],
        "escalation_level": None,
        "help_text": (
            "To start at home, you need to be able to stop without strong withdrawal, or with "
            "medicine from a doctor. If not, medical care to stop safely comes first."
        ),
    },
]

# --------------------------------------------------------------------------- bands (§6)

BANDS = [(0, 2, "self_help"), (3, 5, "outpatient"), (6, 8, "iop"), (9, 11, "php")]

# --------------------------------------------------------------------------- screening test cases

#: The mildest answer to every question: 0 points, no crisis, every requirement met.
BASE_ANSWERS = {
    "safety": "no",
    "age_group": "26_64",
    "pregnant": "no_or_na",
    "substances": ["alcohol"],
    "frequency": "none",
    "consequences": "no",
    "control": "no",
    "relapse": "no_or_na",
    "withdrawal": "none",
    "withdrawal_danger": "no",
    "mental_health": "no",
    "medical": "no",
    "housing": "yes",
    "transport": "yes",
    "support": "yes",
    "responsibilities": "no",
    "recent_treatment": "no",
    "readiness": "ready",
}

# Use answers giving a chosen number of points (frequency + consequences + control + relapse).
_POINTS = {
    0: {},
    2: {"frequency": "weekly"},
    3: {"frequency": "several_times_a_week"},
    5: {"frequency": "daily", "consequences": "some"},
    6: {"frequency": "daily", "control": "many_times"},
    8: {"frequency": "daily", "consequences": "serious", "control": "once"},
    9: {"frequency": "daily", "consequences": "serious", "control": "many_times"},
    11: {
        "frequency": "daily",
        "consequences": "serious",
        "control": "many_times",
        "relapse": "yes",
    },
}


def _case(
    name: str, points: int, changes: dict, expected_level: str, expected_crisis: bool, note: str
) -> dict:
    answers = {**BASE_ANSWERS, **_POINTS[points], **changes}
    answers["substances"] = list(answers["substances"])
    return {
        "name": name,
        "answers": answers,
        "expected_level": expected_level,
        "expected_crisis": expected_crisis,
        "note": note,
    }


TEST_CASES = [
    _case(
        "No use at all", 0, {}, "self_help", False, "0 points: the bottom of the self-help band."
    ),
    _case(
        "Weekly use, no problems",
        2,
        {},
        "self_help",
        False,
        "2 points: the top of the self-help band.",
    ),
    _case(
        "Use a few times a week",
        3,
        {},
        "outpatient",
        False,
        "3 points: the bottom of the outpatient band.",
    ),
    _case(
        "Daily use with some problems",
        5,
        {},
        "outpatient",
        False,
        "5 points: the top of the outpatient band.",
    ),
    _case(
        "Daily use, can't cut down", 6, {}, "iop", False, "6 points: the bottom of the IOP band."
    ),
    _case(
        "Daily use with serious problems", 8, {}, "iop", False, "8 points: the top of the IOP band."
    ),
    _case(
        "Daily use, serious problems, many tries",
        9,
        {},
        "php",
        False,
        "9 points: the bottom of the PHP band.",
    ),
    _case("Highest possible points", 11, {}, "php", False, "11 points: the top of the PHP band."),
    _case(
        "Thoughts of suicide, light use",
        0,
        {"safety": "thoughts"},
        "self_help",
        True,
        "Thoughts without a plan: crisis (988 first); the level still follows the answers.",
    ),
    _case(
        "In danger now",
        3,
        {"safety": "danger_now"},
        "outpatient",
        True,
        "A plan or danger now: crisis with the emergency flag (911 first).",
    ),
    _case(
        "Strong withdrawal",
        3,
        {"withdrawal": "strong"},
        "withdrawal_management",
        False,
        "Strong withdrawal: medically managed withdrawal first, IOP as the next step; "
        "withdrawal_managed is unmet.",
    ),
    _case(
        "Withdrawal seizures in the past",
        0,
        {"withdrawal_danger": "in_the_past"},
        "withdrawal_management",
        False,
        "Past seizures or DTs: medically managed withdrawal, flag medical_review.",
    ),
    _case(
        "Withdrawal danger happening now",
        6,
        {"withdrawal_danger": "now"},
        "withdrawal_management",
        True,
        "Seizure, hallucinations or confusion now: crisis and emergency, withdrawal management.",
    ),
    _case(
        "Mental health hard to manage",
        3,
        {"mental_health": "yes_hard_to_manage"},
        "php",
        False,
        "Mental health hard to manage: at least PHP, flag co_occurring.",
    ),
    _case(
        "Daily medical care needed",
        0,
        {"medical": "yes"},
        "php",
        False,
        "A condition needing close daily medical care: at least PHP, flag medical_review.",
    ),
    _case(
        "No sober home at IOP level",
        6,
        {"housing": "no"},
        "residential",
        False,
        "sober_housing unmet at IOP escalates to residential, with IOP as the next step.",
    ),
    _case(
        "No sober home, could move, at IOP level",
        6,
        {"housing": "no_but_could_move"},
        "iop",
        False,
        "Addressable housing never escalates; a sober-living referral is listed.",
    ),
    _case(
        "No sober home with light use",
        0,
        {"housing": "no"},
        "self_help",
        False,
        "sober_housing does not apply at self-help: a housing referral, not residential care.",
    ),
    _case(
        "No sober home at outpatient level",
        3,
        {"housing": "no"},
        "outpatient",
        False,
        "sober_housing applies only to IOP and PHP, so outpatient stays outpatient.",
    ),
    _case(
        "No sober home, mental health hard to manage",
        0,
        {"housing": "no", "mental_health": "yes_hard_to_manage"},
        "residential",
        False,
        "The minimum level PHP makes sober_housing apply, which escalates to residential.",
    ),
    _case(
        "No transport, no support, at IOP level",
        6,
        {"transport": "no", "support": "no"},
        "iop",
        False,
        "Barriers are flagged with remedies but never change the level.",
    ),
    _case(
        "No transport with light use",
        0,
        {"transport": "no"},
        "self_help",
        False,
        "A transport barrier never raises the level.",
    ),
    _case(
        "Just finished detox",
        0,
        {"recent_treatment": "detox"},
        "iop",
        False,
        "A step down after detox: at least IOP, flag step_down.",
    ),
    _case(
        "Just finished residential care",
        9,
        {"recent_treatment": "residential_or_php"},
        "php",
        False,
        "The step-down minimum (IOP) never lowers a higher band level.",
    ),
    _case(
        "Uses sedatives and opioids",
        3,
        {"substances": ["sedatives", "opioids"]},
        "outpatient",
        False,
        "Substances change no level; flags no_abrupt_stop and medication_info.",
    ),
    _case(
        "Pregnant, using opioids",
        3,
        {"pregnant": "yes", "substances": ["opioids"]},
        "outpatient",
        False,
        "Flags medical_review and medication_info: medication and prenatal care, not stopping "
        "alone.",
    ),
    _case(
        "Young person, weekly use",
        2,
        {"age_group": "under_18", "responsibilities": "yes", "readiness": "not_sure"},
        "self_help",
        False,
        "Age, responsibilities and readiness change no level; flags adolescent and "
        "flexible_schedule.",
    ),
]


# --------------------------------------------------------------------------- engine rules


def build_questionnaire() -> engine.Questionnaire:
    """Version 1 as engine dataclasses, with no database."""
    return engine.Questionnaire(
        version=VERSION,
        levels=tuple(
            engine.Level(
                code=level["code"],
                rank=level["rank"],
                name=level["name"],
                step_down=level["step_down"],
            )
            for level in LEVELS
        ),
        questions=tuple(
            engine.Question(
                key=question["key"],
                text=question["text"],
                step=question["step"],
                multiple=question["multiple"],
                required=question["required"],
                options=tuple(
                    engine.Option(
                        value=option["value"],
                        label=option["label"],
                        points=option["points"],
                        min_level=option["min_level"],
                        crisis=option["crisis"],
                        flags=frozenset(option["flags"]),
                        requirement=option["requirement"],
                        requirement_status=option["requirement_status"],
                        explanation=option["explanation"],
                    )
                    for option in question["options"]
                ),
            )
            for question in QUESTIONS
        ),
        requirements=tuple(
            engine.Requirement(
                key=requirement["key"],
                name=requirement["name"],
                applies_to=frozenset(requirement["applies_to"]),
                remedies=tuple(requirement["remedies"]),
                escalation_level=requirement["escalation_level"],
                help_text=requirement["help_text"],
            )
            for requirement in REQUIREMENTS
        ),
        bands=tuple(
            engine.Band(min_points=low, max_points=high, level=level) for low, high, level in BANDS
        ),
    )
