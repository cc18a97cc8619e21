"""Reference data for IOP Navigator: levels of care, services, populations and lookups.

Plain Python data only (no Django imports). Data migrations and the ``load_demo``
command read these lists; staff can edit the texts later in the admin.

Writing rules (DESIGN §9): plain words a 12-year-old can read, say "you",
person-first and non-judging language, warm and hopeful.
"""

# ---------------------------------------------------------------------------
# Levels of care (DESIGN §5). Codes and ranks are fixed; texts are editable.
# Hours are per week. None means "no number applies" (open-ended or 24-hour care).
# ---------------------------------------------------------------------------

LEVELS = [
    {
        "code": "self_help",
        "rank": 0,
        "name": "Education and early intervention",
        "asam_label": "0.5",
        "summary": (
            "Short, friendly help to learn about alcohol and drug use and to "
            "make a change before problems grow."
        ),
        "description": (
            "This is the lightest kind of help. It is for people who are "
            "starting to wonder about their drinking or drug use, or who have "
            "had a warning sign, like a scare at a party or a talk with a "
            "doctor. You learn how substances affect your body, your mood and "
            "your choices, and you look at what you want to change.\n\n"
            "A week might include one short talk with a counsellor or nurse, "
            "a class or online course, some reading, or a self-help or peer "
            "group. Many people get this help from their doctor, a school "
            "counsellor or a community centre. You stay at home and keep your "
            "usual routine.\n\n"
            "If things get harder, you can move up to outpatient care at any "
            "time. If things go well, you keep the skills you learned and can "
            "come back for a check-in whenever you like."
        ),
        "hours_min": None,
        "hours_max": None,
        "hours_note": "A few hours in total, or as you need",
        "setting": "Live at home",
        "lives_at_home": True,
        "who_it_fits": (
            "People whose use is causing few or no problems yet, but who want "
            "to learn more or cut back early."
        ),
        "relative_cost": "Lowest",
    },
    {
        "code": "outpatient",
        "rank": 1,
        "name": "Outpatient",
        "asam_label": "1",
        "summary": (
            "Regular counselling sessions, usually once or twice a week, while "
            "you live at home and keep up with daily life."
        ),
        "description": (
            "Outpatient care means you visit a counsellor, therapist or clinic "
            "for planned sessions and then go home. It is the most common kind "
            "of treatment for substance use and mental health.\n\n"
            "A typical week has one or two sessions, each about an hour. You "
            "might meet one-to-one, join a group, or both. Some clinics also "
            "offer medication and video sessions. In total it is less than 9 "
            "hours a week, so it fits around work, school and family.\n\n"
            "It fits people with mild problems who feel fairly steady, and "
            "people who have finished a more intensive program and want to "
            "keep going. If you need more support, your team can help you move "
            "up to an intensive outpatient program (IOP). When you feel "
            "strong, sessions can become less frequent."
        ),
        "hours_min": 0,
        "hours_max": 8,
        "hours_note": "Under 9 hours a week",
        "setting": "Live at home",
        "lives_at_home": True,
        "who_it_fits": (
            "People with mild problems who feel mostly steady, or who are "
            "stepping down after a more intensive program."
        ),
        "relative_cost": "Low",
    },
    {
        "code": "iop",
        "rank": 2,
        "name": "Intensive outpatient (IOP)",
        "asam_label": "2.1",
        "summary": (
            "Several hours of treatment a few days each week, while you live "
            "at home and keep working, studying or caring for family."
        ),
        "description": (
            "An intensive outpatient program, or IOP, gives you more support "
            "than regular outpatient care, but you still sleep in your own "
            "bed. You go to a treatment centre (or join by video) for group "
            "and one-to-one sessions, then go home.\n\n"
            "Most programs ask for about 9 hours a week, often three sessions "
            "of about three hours. Some meet for just an hour on two days, and "
            "some meet for up to three hours on five days. Many have morning, "
            "daytime or evening groups. The first part usually lasts around "
            "three to six months, and then you move to lighter outpatient "
            "care.\n\n"
            "IOP fits people with mild to moderate problems who do not need "
            "care around the clock. It is also a common next step after "
            "detox, residential care or partial hospitalization. To start, it "
            "helps to have a home free of alcohol and drugs, a safe way to "
            "stop using (with medicine if needed), a way to get to sessions, "
            "and some people who support you. Many programs can help with the "
            "parts you are missing.\n\n"
            "If you need more help, you can move up to partial "
            "hospitalization. As you get stronger, you step down to outpatient "
            "care."
        ),
        "hours_min": 9,
        "hours_max": 19,
        "hours_note": "9–19 hours a week (6–19 for teens)",
        "setting": "Live at home",
        "lives_at_home": True,
        "who_it_fits": (
            "People with mild to moderate problems who can live safely at home "
            "but need more than a weekly session, including people stepping "
            "down from more intensive care."
        ),
        "relative_cost": "Moderate",
    },
    {
        "code": "php",
        "rank": 3,
        "name": "Partial hospitalization (PHP)",
        "asam_label": "2.5",
        "summary": (
            "Treatment for most of the day, most days of the week, with close "
            "medical and mental health care, and you go home at night."
        ),
        "description": (
            "Partial hospitalization, or PHP, is sometimes called day "
            "treatment. You spend most of the day at a hospital or treatment "
            "centre, and you go home in the evening.\n\n"
            "A typical week has about five or six hours of care a day, on five "
            "or more days. That adds up to 20 hours or more. You see doctors, "
            "nurses and therapists often, so your medicines and health can be "
            "checked closely.\n\n"
            "PHP fits people who need a lot of support but do not need to stay "
            "overnight. It can help if mental health symptoms are hard to "
            "manage, or if a health condition needs daily attention. It is "
            "also a step down after a hospital or residential stay. When you "
            "feel steadier, you usually move to an IOP."
        ),
        "hours_min": 20,
        "hours_max": None,
        "hours_note": "20 or more hours a week",
        "setting": "Live at home",
        "lives_at_home": True,
        "who_it_fits": (
            "People who need close daily care for substance use, mental health "
            "or health needs, but can go home safely each night."
        ),
        "relative_cost": "Higher",
    },
    {
        "code": "residential",
        "rank": 4,
        "name": "Residential treatment",
        "asam_label": "3.x",
        "summary": (
            "You live at a treatment home or centre for a while, with staff there day and night."
        ),
        "description": (
            "In residential treatment you stay at the centre for a period of "
            "time, often a few weeks or a few months. Staff are there 24 hours "
            "a day. This gives you a calm, safe place to focus on recovery, "
            "away from daily stress and from alcohol and drugs.\n\n"
            "A day is full and planned: group and one-to-one therapy, classes, "
            "meals, exercise and quiet time. Many centres also offer "
            "medication, family sessions and activities like art or music.\n\n"
            "It fits people whose home is not a safe place to recover, or who "
            "have tried less intensive care and need more structure. When you "
            "are ready to go home, the usual next step is an IOP, so you keep "
            "your support while you settle back into daily life."
        ),
        "hours_min": None,
        "hours_max": None,
        "hours_note": "A 24-hour setting; you live there for a while",
        "setting": "24-hour residential setting",
        "lives_at_home": False,
        "who_it_fits": (
            "People who need a safe, substance-free place to live while they "
            "recover, or who need more structure than home-based care gives."
        ),
        "relative_cost": "High",
    },
    {
        "code": "withdrawal_management",
        "rank": 5,
        "name": "Medically managed withdrawal / inpatient",
        "asam_label": "3.7-WM, 4",
        "summary": (
            "Round-the-clock medical care to help you stop safely when "
            "withdrawal could be hard or dangerous."
        ),
        "description": (
            "When a person stops drinking or using some drugs, the body can "
            "react strongly. This is called withdrawal. For some substances, "
            "like alcohol and sedatives, it can be dangerous to stop on your "
            "own. Medically managed withdrawal (sometimes called detox) means "
            "doctors and nurses look after you 24 hours a day while your body "
            "adjusts.\n\n"
            "You stay in a hospital or special unit, usually for a few days to "
            "about a week. Staff check your health often and give medicine to "
            "ease symptoms and keep you safe. Inpatient care is also used when "
            "mental health or medical needs are serious.\n\n"
            "Withdrawal care is a first step, not the whole treatment. Before "
            "you leave, the team helps you plan what comes next, often "
            "residential care or an IOP."
        ),
        "hours_min": None,
        "hours_max": None,
        "hours_note": "24-hour medical care, usually for a few days",
        "setting": "24-hour medical care",
        "lives_at_home": False,
        "who_it_fits": (
            "People who cannot stop safely without medical help, or who have "
            "had seizures, hallucinations or severe confusion when stopping."
        ),
        "relative_cost": "Highest",
    },
]

# ---------------------------------------------------------------------------
# Services offered by programs.
# ---------------------------------------------------------------------------

SERVICE_CATEGORIES = [
    ("therapy", "Therapy and counselling"),
    ("medical", "Medical and medication"),
    ("support", "Support and recovery"),
    ("practical", "Practical help"),
]

SERVICES = [
    # --- Therapy and counselling -------------------------------------------
    {
        "slug": "individual-counselling",
        "name": "Individual counselling",
        "category": "therapy",
        "description": (
            "Private one-to-one sessions with a counsellor or therapist. You "
            "talk about what matters to you and set your own goals."
        ),
    },
    {
        "slug": "group-counselling",
        "name": "Group counselling",
        "category": "therapy",
        "description": (
            "A small group led by a trained counsellor. You share, listen and "
            "learn from people who understand what you are going through."
        ),
    },
    {
        "slug": "cbt",
        "name": "Cognitive behavioural therapy (CBT)",
        "category": "therapy",
        "description": (
            "A talking therapy that helps you notice the thoughts behind what "
            "you feel and do. You practise new ways to handle triggers and "
            "stress."
        ),
    },
    {
        "slug": "dbt",
        "name": "Dialectical behaviour therapy (DBT)",
        "category": "therapy",
        "description": (
            "Skills for handling strong emotions, getting through a crisis "
            "without making it worse, and getting on better with people."
        ),
    },
    {
        "slug": "emdr",
        "name": "EMDR therapy",
        "category": "therapy",
        "description": (
            "Eye movement desensitisation and reprocessing helps painful "
            "memories feel less overwhelming. It is often used after trauma."
        ),
    },
    {
        "slug": "motivational-interviewing",
        "name": "Motivational interviewing",
        "category": "therapy",
        "description": (
            "Friendly, open conversations that help you find your own reasons "
            "for change. Nobody pushes you; you decide what comes next."
        ),
    },
    {
        "slug": "family-therapy",
        "name": "Family therapy",
        "category": "therapy",
        "description": (
            "Sessions that include the people close to you. Together you learn "
            "to talk, rebuild trust and support each other."
        ),
    },
    {
        "slug": "alternative-therapies",
        "name": "Art, music and other creative therapies",
        "category": "therapy",
        "description": (
            "Art, music, movement or outdoor adventure activities that help "
            "you express feelings that are hard to put into words."
        ),
    },
    {
        "slug": "trauma-informed-care",
        "name": "Trauma-informed care",
        "category": "therapy",
        "description": (
            "Staff understand how hard past experiences can affect you. They "
            "work to make you feel safe, respected and in control of your care."
        ),
    },
    {
        "slug": "relapse-prevention",
        "name": "Preventing a return to use",
        "category": "therapy",
        "description": (
            "You learn your early warning signs and build a plan for hard "
            "moments. If a return to use happens, you know how to get back on "
            "track quickly."
        ),
    },
    # --- Medical and medication -------------------------------------------
    {
        "slug": "drug-alcohol-testing",
        "name": "Drug and alcohol testing",
        "category": "medical",
        "description": (
            "Regular urine or breath tests help you and your team see how "
            "treatment is going. Results guide your care; they are not a "
            "punishment."
        ),
    },
    {
        "slug": "medication-assisted-treatment",
        "name": "Medication for substance use disorders",
        "category": "medical",
        "description": (
            "Medicines such as buprenorphine, methadone or naltrexone, used "
            "together with counselling. They ease cravings and withdrawal and "
            "lower the risk of overdose."
        ),
    },
    {
        "slug": "psychiatric-medication",
        "name": "Psychiatric medication",
        "category": "medical",
        "description": (
            "A doctor or nurse practitioner can prescribe and check medicines "
            "for depression, anxiety, sleep or other mental health needs."
        ),
    },
    {
        "slug": "mental-health-care",
        "name": "Mental health care",
        "category": "medical",
        "description": (
            "Assessment and treatment for mental health conditions like "
            "depression, anxiety or trauma, alongside care for substance use."
        ),
    },
    {
        "slug": "medical-care",
        "name": "Medical care",
        "category": "medical",
        "description": (
            "Check-ups and help with physical health problems, from a doctor "
            "or nurse who works with your treatment team."
        ),
    },
    {
        "slug": "medically-managed-withdrawal",
        "name": "Medically managed withdrawal (detox)",
        "category": "medical",
        "description": (
            "Medical care to help you stop drinking or using safely, with "
            "medicine to ease symptoms. Some programs offer it themselves and "
            "some arrange it with a partner."
        ),
    },
    {
        "slug": "overdose-prevention",
        "name": "Overdose prevention and naloxone",
        "category": "medical",
        "description": (
            "You learn how to spot an overdose and how to use naloxone, a "
            "medicine that can reverse an opioid overdose. Many programs give "
            "it out for free."
        ),
    },
    # --- Support and recovery ---------------------------------------------
    {
        "slug": "education",
        "name": "Education about substance use and recovery",
        "category": "support",
        "description": (
            "Classes about how alcohol and drugs affect the brain and body, "
            "what triggers use, and how to manage stress."
        ),
    },
    {
        "slug": "crisis-line-24h",
        "name": "24-hour crisis line",
        "category": "support",
        "description": (
            "A phone line you can call at any hour if you feel unsafe or "
            "overwhelmed between sessions."
        ),
    },
    {
        "slug": "peer-support-groups",
        "name": "Peer support groups",
        "category": "support",
        "description": (
            "Meetings with other people in recovery, such as 12-step groups "
            "or other mutual-help groups. You get support and can give it "
            "too."
        ),
    },
    {
        "slug": "peer-recovery-coaching",
        "name": "Peer recovery coaching",
        "category": "support",
        "description": (
            "A trained coach with their own experience of recovery walks "
            "alongside you, helps you set goals and connects you to help."
        ),
    },
    {
        "slug": "aftercare-planning",
        "name": "Aftercare planning",
        "category": "support",
        "description": (
            "Before you finish, the team helps you plan ongoing care, groups "
            "and check-ins, so support continues when the program ends."
        ),
    },
    # --- Practical help ----------------------------------------------------
    {
        "slug": "case-management",
        "name": "Case management",
        "category": "practical",
        "description": (
            "A case manager helps you connect the pieces: health care, "
            "housing, benefits, legal matters and other services you need."
        ),
    },
    {
        "slug": "employment-help",
        "name": "Job and career help",
        "category": "practical",
        "description": (
            "Help with your CV or resume, looking and applying for jobs, and "
            "getting ready for interviews."
        ),
    },
    {
        "slug": "transportation-assistance",
        "name": "Transportation help",
        "category": "practical",
        "description": ("Rides, bus passes or travel money so you can get to your sessions."),
    },
    {
        "slug": "sober-living-referral",
        "name": "Help finding sober living",
        "category": "practical",
        "description": (
            "Referral to a recovery home, a shared house that is free of "
            "alcohol and drugs, if your current home makes recovery hard."
        ),
    },
    {
        "slug": "telehealth",
        "name": "Video or phone sessions (telehealth)",
        "category": "practical",
        "description": (
            "Some or all sessions take place by video or phone, so you can join from home."
        ),
    },
    {
        "slug": "childcare",
        "name": "Childcare during sessions",
        "category": "practical",
        "description": (
            "Safe care for your children on site, or help paying for it, "
            "while you are in treatment."
        ),
    },
    {
        "slug": "life-skills",
        "name": "Life skills",
        "category": "practical",
        "description": (
            "Practical skills such as budgeting, cooking, planning your week "
            "and looking after your health."
        ),
    },
]

# ---------------------------------------------------------------------------
# Groups of people a program may serve or specialise in.
# ---------------------------------------------------------------------------

POPULATIONS = [
    {"slug": "adolescents", "name": "Teens (adolescents)"},
    {"slug": "young-adults", "name": "Young adults"},
    {"slug": "adults", "name": "Adults"},
    {"slug": "older-adults", "name": "Older adults"},
    {"slug": "women", "name": "Women"},
    {"slug": "men", "name": "Men"},
    {"slug": "lgbtq", "name": "LGBTQ+"},
    {"slug": "veterans", "name": "Veterans"},
    {"slug": "pregnant-postpartum", "name": "Pregnant or postpartum people"},
    {"slug": "deaf-hard-of-hearing", "name": "People who are Deaf or hard of hearing"},
    {
        "slug": "people-in-criminal-justice-system",
        "name": "People involved with the justice system",
    },
    {"slug": "co-occurring", "name": "People with co-occurring mental health conditions"},
]

# ---------------------------------------------------------------------------
# Ways to pay (vocabulary of the national treatment locator).
# ---------------------------------------------------------------------------

PAYMENT_OPTIONS = [
    {"slug": "self-pay", "name": "Cash or self-payment"},
    {"slug": "medicaid", "name": "Medicaid"},
    {"slug": "medicare", "name": "Medicare"},
    {
        "slug": "state-insurance",
        "name": "State-financed health insurance other than Medicaid",
    },
    {"slug": "private-insurance", "name": "Private health insurance"},
    {"slug": "military-insurance", "name": "Military insurance (for example TRICARE)"},
    {"slug": "ihs-tribal-urban", "name": "IHS/Tribal/Urban (ITU) funds"},
    {"slug": "sliding-fee", "name": "Sliding fee scale"},
    {"slug": "payment-assistance", "name": "Payment assistance (check with the program)"},
    {"slug": "free", "name": "Free of charge"},
]

# ---------------------------------------------------------------------------
# Languages sessions can be held in (ISO 639-1; ASL uses ISO 639-3 "ase").
# ---------------------------------------------------------------------------

LANGUAGES = [
    {"code": "en", "name": "English"},
    {"code": "es", "name": "Spanish"},
    {"code": "zh", "name": "Chinese"},
    {"code": "vi", "name": "Vietnamese"},
    {"code": "ko", "name": "Korean"},
    {"code": "ru", "name": "Russian"},
    {"code": "ar", "name": "Arabic"},
    {"code": "tl", "name": "Tagalog"},
    {"code": "fr", "name": "French"},
    {"code": "ht", "name": "Haitian Creole"},
    {"code": "pt", "name": "Portuguese"},
    {"code": "pl", "name": "Polish"},
    {"code": "hi", "name": "Hindi"},
    {"code": "ase", "name": "American Sign Language"},
]

# ---------------------------------------------------------------------------
# Accreditations: outside groups that check a program meets quality standards.
# ---------------------------------------------------------------------------

ACCREDITATIONS = [
    {
        "slug": "joint-commission",
        "name": "The Joint Commission",
        "description": (
            "An independent non-profit group that visits health care "
            "organisations and checks them against standards for safety and "
            "quality care."
        ),
    },
    {
        "slug": "carf",
        "name": "CARF International",
        "description": (
            "The Commission on Accreditation of Rehabilitation Facilities "
            "reviews behavioural health and rehabilitation programs to see "
            "that they are safe and focused on the people they serve."
        ),
    },
    {
        "slug": "ncqa",
        "name": "NCQA",
        "description": (
            "The National Committee for Quality Assurance reviews health care "
            "organisations and plans for quality, including how well they "
            "coordinate care."
        ),
    },
    {
        "slug": "coa",
        "name": "Council on Accreditation (COA)",
        "description": (
            "An independent group that accredits social service and "
            "behavioural health organisations against best-practice "
            "standards."
        ),
    },
]

# ---------------------------------------------------------------------------
# Crisis resources, shown on every page (DESIGN §7). In an emergency the
# emergency ones come first; otherwise they are shown in "order".
# ---------------------------------------------------------------------------

CRISIS_RESOURCES = [
    {
        "slug": "emergency-911",
        "name": "Emergency services",
        "number": "911",
        "action": "call",
        "description": (
            "Call now if you or someone else is in danger right now, has taken "
            "too much of something, or is having a seizure or trouble "
            "breathing."
        ),
        "is_emergency": True,
        "order": 0,
    },
    {
        "slug": "988-call",
        "name": "988 Suicide & Crisis Lifeline",
        "number": "988",
        "action": "call",
        "description": (
            "Call any time, day or night, if you are thinking about suicide, "
            "feel overwhelmed, or are worried about someone. It is free and "
            "private, and a caring person will listen."
        ),
        "is_emergency": False,
        "order": 1,
    },
    {
        "slug": "988-text",
        "name": "988 Suicide & Crisis Lifeline (text)",
        "number": "988",
        "action": "text",
        "description": (
            "Prefer to type? Send a text to 988 to reach a trained crisis "
            "counsellor, any time. It is free and private."
        ),
        "is_emergency": False,
        "order": 2,
    },
    {
        "slug": "samhsa-helpline",
        "name": "SAMHSA National Helpline",
        "number": "1-800-662-4357",
        "action": "call",
        "description": (
            "Free, private help 24 hours a day, every day of the year. Get "
            "information and referrals to treatment and support near you, in "
            "English or Spanish."
        ),
        "is_emergency": False,
        "order": 3,
    },
]
