"""Fictional demo programs for IOP Navigator.

Every program, organisation, street address, phone number, email and website
here is made up. Phone numbers use the 555-01xx range kept for fiction, and
web addresses use the reserved ``.example`` domain. ZIP codes and map
coordinates are real places so that distance search works in a demo.

The ``load_demo`` command adds a clear "Demo" marker when it loads these;
do not add one here.

Plain Python data only (no Django imports).
"""

DEMO_PROGRAMS = [
    # ------------------------------------------------------------------
    # New York City metro (4)
    # ------------------------------------------------------------------
    {
        "slug": "juniper-row-counseling",
        "name": "Juniper Row Counseling Collective",
        "organisation": "Juniper Row Health Partners",
        "summary": (
            "A welcoming adult IOP in Manhattan with daytime and evening "
            "groups, so you can keep your job while you get support."
        ),
        "description": (
            "Juniper Row helps adults who want to change their drinking or "
            "drug use and who may also live with anxiety or low mood. You "
            "meet with your own counsellor each week and join a small group "
            "three times a week.\n\n"
            "You can choose a morning track or an evening track:\n\n"
            "- Morning: Monday, Wednesday and Friday, 9 am to noon\n"
            "- Evening: Monday, Tuesday and Thursday, 6 pm to 9 pm\n\n"
            "When you finish the intensive part, you can keep coming to a "
            "weekly outpatient group for as long as it helps."
        ),
        "levels": ["iop", "outpatient"],
        "services": [
            ["individual-counselling", "Weekly, 50 minutes"],
            ["group-counselling", ""],
            ["cbt", ""],
            ["motivational-interviewing", ""],
            ["medication-assisted-treatment", "Buprenorphine and naltrexone"],
            ["mental-health-care", ""],
            ["drug-alcohol-testing", ""],
            ["telehealth", "Evening groups can be joined by video"],
            ["relapse-prevention", ""],
            ["aftercare-planning", ""],
            ["transportation-assistance", "Transit fare for every session during the first month"],
        ],
        "populations": ["adults", "young-adults", "co-occurring"],
        "age_min": 18,
        "age_max": None,
        "hours_min": 3,
        "hours_max": 12,
        "sessions_per_week": 3,
        "length_weeks": 12,
        "schedule_day": True,
        "schedule_evening": True,
        "schedule_weekend": False,
        "telehealth": True,
        "telehealth_states": "NJ,NY",
        "languages": ["en", "es"],
        "payments": ["medicaid", "private-insurance", "self-pay", "sliding-fee"],
        "phone": "(212) 555-0134",
        "email": "intake@juniperrow.example",
        "website": "https://juniperrow.example",
        "accepting": "yes",
        "accepting_note": "Most people have a first visit within a week.",
        "last_verified": "2026-11-02",
        "accreditations": ["joint-commission"],
        "state_licensed": True,
        "physician": "on_call",
        "licensed_clinicians": True,
        "buprenorphine": True,
        "methadone": False,
        "naltrexone": True,
        "aftercare": True,
        "locations": [
            {
                "street": "410 West 29th Street, Suite 2",
                "city": "New York",
                "state": "NY",
                "postal_code": "10001",
                "latitude": 40.74956,
                "longitude": -73.99841,
                "note": "Main site, step-free entrance",
            },
            {
                "street": "88 Larch Place, 3rd Floor",
                "city": "New York",
                "state": "NY",
                "postal_code": "10011",
                "latitude": 40.74087,
                "longitude": -74.00113,
                "note": "Evening groups only",
            },
        ],
    },
    {
        "slug": "little-heron-teen-iop",
        "name": "Little Heron Teen IOP",
        "organisation": "Little Heron Youth Services",
        "summary": (
            "An after-school program for teens aged 13 to 17 who are having "
            "a hard time with alcohol, vaping, cannabis or other drugs."
        ),
        "description": (
            "Little Heron meets after school, so teens do not miss class. "
            "Groups are small and led by counsellors who work only with young "
            "people. Teens learn skills to handle stress, strong feelings and "
            "pressure from friends.\n\n"
            "Parents and carers are part of the plan. There is a family "
            "session every Saturday morning, and a parent group once a month."
            "\n\n"
            "A school liaison can talk with your teen's school, if you agree, "
            "to make the return to a normal schedule smoother."
        ),
        "levels": ["iop"],
        "services": [
            ["group-counselling", "Teen groups of 6 to 8"],
            ["individual-counselling", ""],
            ["family-therapy", "Saturday mornings"],
            ["dbt", "DBT skills for teens"],
            ["education", ""],
            ["alternative-therapies", "Art and music sessions"],
            ["drug-alcohol-testing", ""],
            ["case-management", "School liaison"],
            ["crisis-line-24h", ""],
        ],
        "populations": ["adolescents"],
        "age_min": 13,
        "age_max": 17,
        "hours_min": 6,
        "hours_max": 10,
        "sessions_per_week": 3,
        "length_weeks": 10,
        "schedule_day": False,
        "schedule_evening": True,
        "schedule_weekend": True,
        "telehealth": False,
        "languages": ["en", "es"],
        "payments": ["medicaid", "private-insurance", "state-insurance"],
        "phone": "(718) 555-0107",
        "email": "intake@littleheron.example",
        "website": "https://littleheron.example",
        "accepting": "waitlist",
        "accepting_note": "The wait for a first visit is about two to three weeks.",
        "last_verified": "2026-10-15",
        "accreditations": ["carf"],
        "state_licensed": True,
        "physician": "on_call",
        "licensed_clinicians": True,
        "buprenorphine": False,
        "methadone": False,
        "naltrexone": False,
        "aftercare": True,
        "locations": [
            {
                "street": "57 Quill Street, Suite 4",
                "city": "Brooklyn",
                "state": "NY",
                "postal_code": "11201",
                "latitude": 40.69318,
                "longitude": -73.98961,
                "note": "",
            },
        ],
    },
    {
        "slug": "casa-tamarindo-azul-recovery",
        "name": "Casa Tamarindo Azul Recovery Program",
        "organisation": "Casa Tamarindo Azul Community Health",
        "summary": (
            "A bilingual Spanish and English program in Upper Manhattan, with "
            "medication for opioid use and a sliding fee for people without "
            "insurance."
        ),
        "description": (
            "At Casa Tamarindo Azul, every group is offered in Spanish and in English. "
            "Staff come from the neighbourhood and know how much family "
            "matters. Family members are welcome at monthly family nights.\n\n"
            "You can start medication for opioid use on your first or second "
            "visit. A peer recovery coach can walk with you to appointments "
            "and help with housing, benefits and work.\n\n"
            "No one is turned away because they cannot pay."
        ),
        "levels": ["iop", "outpatient"],
        "services": [
            ["group-counselling", "Spanish and English groups"],
            ["individual-counselling", ""],
            ["medication-assisted-treatment", "Buprenorphine, often same week"],
            ["overdose-prevention", "Free naloxone kits"],
            ["peer-recovery-coaching", ""],
            ["peer-support-groups", ""],
            ["case-management", ""],
            ["employment-help", ""],
            ["sober-living-referral", ""],
            ["family-therapy", "Monthly family nights"],
        ],
        "populations": ["adults", "young-adults"],
        "age_min": 18,
        "age_max": None,
        "hours_min": 4,
        "hours_max": 12,
        "sessions_per_week": 3,
        "length_weeks": 16,
        "schedule_day": True,
        "schedule_evening": True,
        "schedule_weekend": True,
        "telehealth": False,
        "languages": ["es", "en", "pt"],
        "payments": ["medicaid", "medicare", "sliding-fee", "free"],
        "phone": "(212) 555-0158",
        "email": "intake@tamarindoazul.example",
        "website": "https://tamarindoazul.example",
        "accepting": "yes",
        "accepting_note": "Walk-in hours Monday to Friday, 9 am to 11 am.",
        "last_verified": "2026-03-18",
        "accreditations": [],
        "state_licensed": True,
        "physician": "on_staff",
        "licensed_clinicians": True,
        "buprenorphine": True,
        "methadone": False,
        "naltrexone": True,
        "aftercare": True,
        "locations": [
            {
                "street": "612 Saltmarsh Avenue",
                "city": "New York",
                "state": "NY",
                "postal_code": "10032",
                "latitude": 40.83907,
                "longitude": -73.94126,
                "note": "",
            },
        ],
    },
    {
        "slug": "golden-lantern-outpatient",
        "name": "Golden Lantern Outpatient Clinic",
        "organisation": "Golden Lantern Family Wellness",
        "summary": (
            "Evening and weekend outpatient counselling in Chinese, Korean and "
            "English, in person or by video."
        ),
        "description": (
            "Golden Lantern offers one or two sessions a week for people who "
            "want to cut down or stop drinking or using drugs, and for people "
            "dealing with stress and low mood.\n\n"
            "Counsellors speak Mandarin, Cantonese, Korean and English. They "
            "understand how hard it can be to ask for help when you worry "
            "about what family or community will think. Everything you say "
            "stays private.\n\n"
            "If you need more support, the team will help you find an IOP "
            "nearby."
        ),
        "levels": ["outpatient"],
        "services": [
            ["individual-counselling", ""],
            ["group-counselling", "Saturday group in Mandarin"],
            ["cbt", ""],
            ["motivational-interviewing", ""],
            ["psychiatric-medication", "Monthly visits with a psychiatrist"],
            ["telehealth", ""],
            ["education", ""],
        ],
        "populations": ["adults", "older-adults"],
        "age_min": 18,
        "age_max": None,
        "hours_min": 1,
        "hours_max": 4,
        "sessions_per_week": 2,
        "length_weeks": 12,
        "schedule_day": False,
        "schedule_evening": True,
        "schedule_weekend": True,
        "telehealth": True,
        "languages": ["zh", "ko", "en"],
        "payments": ["medicaid", "medicare", "private-insurance", "sliding-fee"],
        "phone": "(718) 555-0171",
        "email": "intake@goldenlantern.example",
        "website": "https://goldenlantern.example",
        "accepting": "yes",
        "accepting_note": "",
        "last_verified": "2026-09-30",
        "accreditations": [],
        "state_licensed": True,
        "physician": "on_call",
        "licensed_clinicians": True,
        "buprenorphine": False,
        "methadone": False,
        "naltrexone": False,
        "aftercare": False,
        "locations": [
            {
                "street": "36-20 Tamarind Lane, 2nd Floor",
                "city": "Flushing",
                "state": "NY",
                "postal_code": "11354",
                "latitude": 40.76552,
                "longitude": -73.82617,
                "note": "Near the subway, elevator in building",
            },
        ],
    },
    # ------------------------------------------------------------------
    # Los Angeles metro (4)
    # ------------------------------------------------------------------
    {
        "slug": "marigold-house-womens-program",
        "name": "Marigold House Women's Program",
        "organisation": "Marigold House",
        "summary": (
            "Day treatment and IOP for women, including pregnant and new "
            "mothers, with childcare on site."
        ),
        "description": (
            "Marigold House is a program by women, for women. Many of the "
            "women who come here have lived through trauma, and staff are "
            "trained to make every room feel safe.\n\n"
            "If you are pregnant or have a new baby, a nurse and a doctor on "
            "staff work with your prenatal or baby's care team. You can keep "
            "taking or start medication for opioid use; it is safe in "
            "pregnancy and protects you and your baby.\n\n"
            "Children under five can stay in the playroom next door while you "
            "are in group."
        ),
        "levels": ["php", "iop"],
        "services": [
            ["group-counselling", ""],
            ["individual-counselling", ""],
            ["trauma-informed-care", ""],
            ["emdr", ""],
            ["medication-assisted-treatment", "Buprenorphine, safe in pregnancy"],
            ["medical-care", "Prenatal care coordination"],
            ["mental-health-care", ""],
            ["childcare", "Ages 0 to 5, on site"],
            ["case-management", ""],
            ["peer-support-groups", ""],
            ["transportation-assistance", "Bus passes"],
        ],
        "populations": ["women", "pregnant-postpartum", "co-occurring"],
        "age_min": 18,
        "age_max": None,
        "hours_min": 9,
        "hours_max": 25,
        "sessions_per_week": 5,
        "length_weeks": 16,
        "schedule_day": True,
        "schedule_evening": False,
        "schedule_weekend": False,
        "telehealth": False,
        "languages": ["en", "es"],
        "payments": ["medicaid", "private-insurance", "payment-assistance"],
        "phone": "(213) 555-0112",
        "email": "intake@marigoldhouse.example",
        "website": "https://marigoldhouse.example",
        "accepting": "yes",
        "accepting_note": "Pregnant women are seen first, usually within two days.",
        "last_verified": "2026-11-10",
        "accreditations": ["joint-commission"],
        "state_licensed": True,
        "physician": "on_staff",
        "licensed_clinicians": True,
        "buprenorphine": True,
        "methadone": False,
        "naltrexone": False,
        "aftercare": True,
        "locations": [
            {
                "street": "1418 Hollyhock Drive",
                "city": "Los Angeles",
                "state": "CA",
                "postal_code": "90026",
                "latitude": 34.07712,
                "longitude": -118.26381,
                "note": "",
            },
        ],
    },
    {
        "slug": "puente-verde-family-services",
        "name": "Puente Verde Family Services",
        "organisation": "Puente Verde Community Clinic",
        "summary": (
            "A family-centred IOP for teens and adults in East Los Angeles, in "
            "Spanish and English, at low or no cost."
        ),
        "description": (
            "Puente Verde serves teens from 13 and adults in separate groups. "
            "Families can join a weekly family session, because recovery is "
            "easier when the people at home understand it too.\n\n"
            "Groups meet on weekday evenings and Saturday mornings. If getting "
            "here is hard, ask about a free ride or a bus pass.\n\n"
            "Fees go by what you can pay, and many people pay nothing."
        ),
        "levels": ["iop"],
        "services": [
            ["group-counselling", "Separate teen and adult groups"],
            ["individual-counselling", ""],
            ["family-therapy", "Weekly, in Spanish or English"],
            ["motivational-interviewing", ""],
            ["education", ""],
            ["drug-alcohol-testing", ""],
            ["transportation-assistance", "Free rides within 5 miles"],
            ["case-management", ""],
            ["alternative-therapies", "Mural art and music"],
        ],
        "populations": ["adolescents", "adults", "young-adults"],
        "age_min": 13,
        "age_max": None,
        "hours_min": 9,
        "hours_max": 12,
        "sessions_per_week": 4,
        "length_weeks": 12,
        "schedule_day": False,
        "schedule_evening": True,
        "schedule_weekend": True,
        "telehealth": False,
        "languages": ["es", "en"],
        "payments": ["medicaid", "sliding-fee", "free"],
        "phone": "(323) 555-0145",
        "email": "intake@puenteverde.example",
        "website": "https://puenteverde.example",
        "accepting": "yes",
        "accepting_note": "",
        "last_verified": "2026-04-22",
        "accreditations": ["carf"],
        "state_licensed": True,
        "physician": "none",
        "licensed_clinicians": True,
        "buprenorphine": False,
        "methadone": False,
        "naltrexone": False,
        "aftercare": True,
        "locations": [
            {
                "street": "2207 Avenida Olmo",
                "city": "Los Angeles",
                "state": "CA",
                "postal_code": "90033",
                "latitude": 34.04918,
                "longitude": -118.20773,
                "note": "Free parking behind the building",
            },
        ],
    },
    {
        "slug": "arroyo-oaks-older-adult-iop",
        "name": "Arroyo Oaks Older Adult IOP",
        "organisation": "Arroyo Oaks Senior Health",
        "summary": (
            "A calm daytime IOP for people aged 55 and over, with medical care "
            "and rides to and from the program."
        ),
        "description": (
            "Later life can bring big changes: retirement, loss, pain or "
            "loneliness. Some people find they drink more or rely on "
            "medicines more than they want to. Arroyo Oaks is made for people "
            "55 and over, at a gentle pace.\n\n"
            "A doctor checks how your medicines work together, because that "
            "matters more as we age. Groups meet from 10 am to 1 pm, three or "
            "four days a week, with lunch included.\n\n"
            "Medicare is accepted, and there is free door-to-door transport "
            "for people who no longer drive."
        ),
        "levels": ["iop"],
        "services": [
            ["group-counselling", "Groups for people 55+"],
            ["individual-counselling", ""],
            ["medical-care", "Medication review"],
            ["psychiatric-medication", ""],
            ["mental-health-care", "Grief and loss support"],
            ["transportation-assistance", "Door-to-door rides"],
            ["peer-support-groups", ""],
            ["telehealth", "Video check-ins on other days"],
        ],
        "populations": ["older-adults", "co-occurring"],
        "age_min": 55,
        "age_max": None,
        "hours_min": 9,
        "hours_max": 12,
        "sessions_per_week": 4,
        "length_weeks": 10,
        "schedule_day": True,
        "schedule_evening": False,
        "schedule_weekend": False,
        "telehealth": True,
        "languages": ["en", "es", "tl"],
        "payments": ["medicare", "medicaid", "private-insurance"],
        "phone": "(626) 555-0163",
        "email": "intake@arroyooaks.example",
        "website": "https://arroyooaks.example",
        "accepting": "yes",
        "accepting_note": "",
        "last_verified": "2026-10-01",
        "accreditations": ["joint-commission"],
        "state_licensed": True,
        "physician": "on_staff",
        "licensed_clinicians": True,
        "buprenorphine": False,
        "methadone": False,
        "naltrexone": False,
        "aftercare": True,
        "locations": [
            {
                "street": "77 Sycamore Bend, Suite 110",
                "city": "Pasadena",
                "state": "CA",
                "postal_code": "91101",
                "latitude": 34.14603,
                "longitude": -118.13772,
                "note": "",
            },
        ],
    },
    {
        "slug": "figueroa-day-treatment",
        "name": "Figueroa Day Treatment Center",
        "organisation": "Figueroa Behavioral Health Group",
        "summary": (
            "A full-day partial hospitalization program in downtown Los "
            "Angeles for adults who need close care for mental health and "
            "substance use."
        ),
        "description": (
            "This program is for adults who need a lot of support each day "
            "but can go home at night. It often follows a hospital stay. You "
            "come five days a week, from 9 am to 3 pm.\n\n"
            "Psychiatrists, nurses and therapists work as one team. They can "
            "adjust your medicines quickly and help you through a hard time "
            "without an overnight stay.\n\n"
            "When you feel steadier, the team will help you move to an IOP "
            "close to home."
        ),
        "levels": ["php"],
        "services": [
            ["individual-counselling", ""],
            ["group-counselling", ""],
            ["dbt", ""],
            ["cbt", ""],
            ["psychiatric-medication", "Daily psychiatrist on site"],
            ["medical-care", ""],
            ["mental-health-care", ""],
            ["medication-assisted-treatment", "Buprenorphine and naltrexone"],
            ["crisis-line-24h", ""],
            ["aftercare-planning", ""],
        ],
        "populations": ["adults", "co-occurring"],
        "age_min": 18,
        "age_max": None,
        "hours_min": 25,
        "hours_max": 30,
        "sessions_per_week": 5,
        "length_weeks": 6,
        "schedule_day": True,
        "schedule_evening": False,
        "schedule_weekend": False,
        "telehealth": False,
        "languages": ["en", "es", "ko", "tl"],
        "payments": ["private-insurance", "medicare", "medicaid", "self-pay"],
        "phone": "(213) 555-0186",
        "email": "intake@figueroaday.example",
        "website": "https://figueroaday.example",
        "accepting": "yes",
        "accepting_note": "Referrals from hospitals are seen the next working day.",
        "last_verified": "2026-11-18",
        "accreditations": ["joint-commission", "ncqa"],
        "state_licensed": True,
        "physician": "on_staff",
        "licensed_clinicians": True,
        "buprenorphine": True,
        "methadone": False,
        "naltrexone": True,
        "aftercare": True,
        "locations": [
            {
                "street": "940 South Lindenwood Street, 5th Floor",
                "city": "Los Angeles",
                "state": "CA",
                "postal_code": "90015",
                "latitude": 34.04271,
                "longitude": -118.26905,
                "note": "",
            },
        ],
    },
    # ------------------------------------------------------------------
    # San Francisco (1)
    # ------------------------------------------------------------------
    {
        "slug": "prism-path-collective",
        "name": "Prism Path Collective",
        "organisation": "Prism Path Health",
        "summary": (
            "An LGBTQ+-affirming IOP and outpatient program in San Francisco, "
            "with evening groups and video sessions."
        ),
        "description": (
            "At Prism Path, you do not have to explain or hide who you are. "
            "Staff and peer leaders are LGBTQ+ themselves or trained allies. "
            "Use of your name and pronouns is the norm here.\n\n"
            "Groups look at what often sits underneath substance use, like "
            "stress from discrimination, family rejection or trauma. There is "
            "a group for people who use stimulants such as methamphetamine, "
            "and a group for people using alcohol.\n\n"
            "Evening groups meet in person or by video, so you can join from "
            "home when you need to."
        ),
        "levels": ["iop", "outpatient"],
        "services": [
            ["group-counselling", "Stimulant and alcohol groups"],
            ["individual-counselling", ""],
            ["cbt", ""],
            ["trauma-informed-care", ""],
            ["mental-health-care", ""],
            ["peer-support-groups", "Queer-led recovery meetings"],
            ["overdose-prevention", ""],
            ["telehealth", ""],
            ["case-management", "Help with housing and benefits"],
            ["sober-living-referral", "LGBTQ+-friendly recovery homes"],
        ],
        "populations": ["lgbtq", "adults", "young-adults", "co-occurring"],
        "age_min": 18,
        "age_max": None,
        "hours_min": 4,
        "hours_max": 12,
        "sessions_per_week": 3,
        "length_weeks": 12,
        "schedule_day": False,
        "schedule_evening": True,
        "schedule_weekend": True,
        "telehealth": True,
        "languages": ["en", "es"],
        "payments": ["medicaid", "private-insurance", "sliding-fee"],
        "phone": "(415) 555-0129",
        "email": "intake@prismpath.example",
        "website": "https://prismpath.example",
        "accepting": "yes",
        "accepting_note": "",
        "last_verified": "2026-10-20",
        "accreditations": ["carf"],
        "state_licensed": True,
        "physician": "on_call",
        "licensed_clinicians": True,
        "buprenorphine": False,
        "methadone": False,
        "naltrexone": False,
        "aftercare": True,
        "locations": [
            {
                "street": "1290 Brightwater Street",
                "city": "San Francisco",
                "state": "CA",
                "postal_code": "94103",
                "latitude": 37.77163,
                "longitude": -122.41298,
                "note": "",
            },
            {
                "street": "455 Poppyfield Avenue",
                "city": "San Francisco",
                "state": "CA",
                "postal_code": "94114",
                "latitude": 37.75934,
                "longitude": -122.43417,
                "note": "Saturday groups",
            },
        ],
    },
    # ------------------------------------------------------------------
    # Texas (3)
    # ------------------------------------------------------------------
    {
        "slug": "bluebonnet-compass-veterans",
        "name": "Bluebonnet Compass Veterans Program",
        "organisation": "Bluebonnet Compass Counseling",
        "summary": (
            "An evening and weekend IOP in Austin for veterans and service "
            "members, with trauma care and job help."
        ),
        "description": (
            "Bluebonnet Compass was started by veterans for veterans. Many "
            "counsellors have served, and everyone understands military "
            "life. Groups are for veterans, service members and National "
            "Guard and Reserve members.\n\n"
            "Care covers drinking and drug use together with post-traumatic "
            "stress, sleep problems and the move back to civilian life. "
            "Family members are welcome at monthly family sessions.\n\n"
            "Groups meet on weeknights and Saturday mornings, and you can "
            "join some sessions by video."
        ),
        "levels": ["iop"],
        "services": [
            ["group-counselling", "Veteran-only groups"],
            ["individual-counselling", ""],
            ["emdr", ""],
            ["trauma-informed-care", ""],
            ["cbt", ""],
            ["medication-assisted-treatment", "Naltrexone"],
            ["peer-support-groups", "Veteran peer mentors"],
            ["employment-help", "Resume and job search help"],
            ["family-therapy", "Monthly"],
            ["telehealth", ""],
            ["crisis-line-24h", ""],
        ],
        "populations": ["veterans", "adults", "co-occurring"],
        "populations_only": True,
        "age_min": 18,
        "age_max": None,
        "hours_min": 9,
        "hours_max": 12,
        "sessions_per_week": 4,
        "length_weeks": 12,
        "schedule_day": False,
        "schedule_evening": True,
        "schedule_weekend": True,
        "telehealth": True,
        "languages": ["en"],
        "payments": ["military-insurance", "private-insurance", "medicaid", "free"],
        "phone": "(512) 555-0118",
        "email": "intake@bluebonnetcompass.example",
        "website": "https://bluebonnetcompass.example",
        "accepting": "yes",
        "accepting_note": "Ask about free care through veteran community care.",
        "last_verified": "2026-09-28",
        "accreditations": ["carf"],
        "state_licensed": True,
        "physician": "on_call",
        "licensed_clinicians": True,
        "buprenorphine": False,
        "methadone": False,
        "naltrexone": True,
        "aftercare": True,
        "locations": [
            {
                "street": "300 Cedar Elm Street, Suite 210",
                "city": "Austin",
                "state": "TX",
                "postal_code": "78701",
                "latitude": 30.27028,
                "longitude": -97.74409,
                "note": "",
            },
        ],
    },
    {
        "slug": "lotus-bayou-counseling",
        "name": "Lotus Bayou Community Counseling",
        "organisation": "Lotus Bayou Community Health",
        "summary": (
            "Outpatient care and an IOP in southwest Houston, in Vietnamese, Chinese and English."
        ),
        "description": (
            "Lotus Bayou serves a busy neighbourhood where many families speak "
            "Vietnamese or Chinese at home. Counsellors speak your language "
            "and respect your culture and beliefs.\n\n"
            "You can start with one session a week, or join the IOP if you "
            "need more support. A case manager helps with forms, insurance "
            "and other services.\n\n"
            "The program is popular, so there is often a short wait."
        ),
        "levels": ["outpatient", "iop"],
        "services": [
            ["individual-counselling", ""],
            ["group-counselling", "Vietnamese and Chinese groups"],
            ["motivational-interviewing", ""],
            ["family-therapy", ""],
            ["case-management", "Help with forms and insurance"],
            ["education", ""],
            ["mental-health-care", ""],
        ],
        "populations": ["adults", "older-adults"],
        "age_min": 18,
        "age_max": None,
        "hours_min": 2,
        "hours_max": 10,
        "sessions_per_week": 3,
        "length_weeks": 14,
        "schedule_day": True,
        "schedule_evening": True,
        "schedule_weekend": False,
        "telehealth": False,
        "languages": ["vi", "zh", "en"],
        "payments": ["medicaid", "sliding-fee", "payment-assistance"],
        "phone": "(713) 555-0142",
        "email": "intake@lotusbayou.example",
        "website": "https://lotusbayou.example",
        "accepting": "waitlist",
        "accepting_note": "The wait is about four to six weeks. Call to get on the list.",
        "last_verified": "2026-02-27",
        "accreditations": [],
        "state_licensed": True,
        "physician": "none",
        "licensed_clinicians": True,
        "buprenorphine": False,
        "methadone": False,
        "naltrexone": False,
        "aftercare": False,
        "locations": [
            {
                "street": "9120 Magnolia Park Drive, Suite C",
                "city": "Houston",
                "state": "TX",
                "postal_code": "77036",
                "latitude": 29.69912,
                "longitude": -95.53817,
                "note": "",
            },
        ],
    },
    {
        "slug": "buffalo-bend-recovery",
        "name": "Buffalo Bend Recovery",
        "organisation": "Buffalo Bend Health",
        "summary": (
            "A downtown Houston IOP and day program with medication for "
            "opioid and alcohol use disorders."
        ),
        "description": (
            "Buffalo Bend offers two levels of care in one place. You can start "
            "in the day program if you need close support, then move to the "
            "IOP without changing teams.\n\n"
            "Doctors on staff can prescribe buprenorphine, methadone through a "
            "partner clinic, or naltrexone, alongside counselling.\n\n"
            "The program is full right now. The intake team can still help "
            "you find another program while you wait."
        ),
        "levels": ["iop", "php"],
        "services": [
            ["individual-counselling", ""],
            ["group-counselling", ""],
            ["cbt", ""],
            ["medication-assisted-treatment", "Buprenorphine, methadone, naltrexone"],
            ["medically-managed-withdrawal", "Through a partner hospital"],
            ["medical-care", ""],
            ["drug-alcohol-testing", ""],
            ["relapse-prevention", ""],
            ["aftercare-planning", ""],
        ],
        "populations": ["adults", "young-adults"],
        "age_min": 18,
        "age_max": None,
        "hours_min": 9,
        "hours_max": 25,
        "sessions_per_week": 5,
        "length_weeks": 12,
        "schedule_day": True,
        "schedule_evening": False,
        "schedule_weekend": False,
        "telehealth": False,
        "languages": ["en", "es"],
        "payments": ["private-insurance", "self-pay", "medicare"],
        "phone": "(713) 555-0190",
        "email": "intake@buffalobend.example",
        "website": "https://buffalobend.example",
        "accepting": "no",
        "accepting_note": (
            "Not taking new people until January. We can help you find another program."
        ),
        "last_verified": "2026-08-14",
        "accreditations": ["joint-commission"],
        "state_licensed": True,
        "physician": "on_staff",
        "licensed_clinicians": True,
        "buprenorphine": True,
        "methadone": True,
        "naltrexone": True,
        "aftercare": True,
        "locations": [
            {
                "street": "1505 Pecan Grove Street, Floor 7",
                "city": "Houston",
                "state": "TX",
                "postal_code": "77002",
                "latitude": 29.75788,
                "longitude": -95.36214,
                "note": "",
            },
        ],
    },
    # ------------------------------------------------------------------
    # Chicago (3)
    # ------------------------------------------------------------------
    {
        "slug": "fulton-street-mind-recovery",
        "name": "Fulton Street Mind and Recovery",
        "organisation": "Fulton Street Health Alliance",
        "summary": (
            "Day treatment and IOP in Chicago for adults living with both "
            "substance use and mental health conditions."
        ),
        "description": (
            "Many people live with both a substance use disorder and a mental "
            "health condition such as depression, bipolar disorder or "
            "trauma. Fulton Street treats both at the same time, with one "
            "team.\n\n"
            "DBT skills groups help you ride out strong emotions. A "
            "psychiatrist sees you often and adjusts medicines as needed.\n\n"
            "You can begin in the day program and step down to IOP, or start "
            "straight in the IOP."
        ),
        "levels": ["php", "iop"],
        "services": [
            ["individual-counselling", ""],
            ["group-counselling", ""],
            ["dbt", "Full DBT skills program"],
            ["cbt", ""],
            ["psychiatric-medication", ""],
            ["mental-health-care", ""],
            ["medication-assisted-treatment", "Buprenorphine"],
            ["case-management", ""],
            ["crisis-line-24h", ""],
            ["aftercare-planning", ""],
        ],
        "populations": ["adults", "co-occurring"],
        "age_min": 18,
        "age_max": None,
        "hours_min": 9,
        "hours_max": 25,
        "sessions_per_week": 5,
        "length_weeks": 10,
        "schedule_day": True,
        "schedule_evening": False,
        "schedule_weekend": False,
        "telehealth": False,
        "languages": ["en", "es", "pl"],
        "payments": ["medicaid", "medicare", "private-insurance"],
        "phone": "(312) 555-0121",
        "email": "intake@fultonstreet.example",
        "website": "https://fultonstreet.example",
        "accepting": "yes",
        "accepting_note": "",
        "last_verified": "2026-11-05",
        "accreditations": ["joint-commission"],
        "state_licensed": True,
        "physician": "on_staff",
        "licensed_clinicians": True,
        "buprenorphine": True,
        "methadone": False,
        "naltrexone": False,
        "aftercare": True,
        "locations": [
            {
                "street": "1122 West Ironwood Street",
                "city": "Chicago",
                "state": "IL",
                "postal_code": "60607",
                "latitude": 41.87303,
                "longitude": -87.65512,
                "note": "",
            },
        ],
    },
    {
        "slug": "tallgrass-teen-recovery",
        "name": "Tallgrass Teen Recovery",
        "organisation": "Tallgrass Youth and Family Center",
        "summary": (
            "A bilingual after-school IOP for teens in Chicago, with strong family involvement."
        ),
        "description": (
            "Tallgrass works with teens aged 13 to 17 and their families. "
            "Groups run after school, from 4 pm to 6:30 pm, so school comes "
            "first.\n\n"
            "Teens build skills for stress, friendships and hard feelings. "
            "Parents join a family session each week, in English or "
            "Spanish.\n\n"
            "A case manager can help with school meetings and court or "
            "probation appointments if needed."
        ),
        "levels": ["iop"],
        "services": [
            ["group-counselling", ""],
            ["individual-counselling", ""],
            ["family-therapy", "Weekly"],
            ["cbt", ""],
            ["motivational-interviewing", ""],
            ["case-management", ""],
            ["alternative-therapies", "Outdoor adventure days"],
            ["transportation-assistance", "Transit cards"],
            ["telehealth", "Video check-ins on snow days and sick days"],
        ],
        "populations": ["adolescents", "people-in-criminal-justice-system"],
        "age_min": 13,
        "age_max": 17,
        "hours_min": 6,
        "hours_max": 9,
        "sessions_per_week": 3,
        "length_weeks": 8,
        "schedule_day": False,
        "schedule_evening": True,
        "schedule_weekend": False,
        "telehealth": True,
        "languages": ["en", "es"],
        "payments": ["medicaid", "state-insurance", "private-insurance"],
        "phone": "(773) 555-0166",
        "email": "intake@tallgrassteen.example",
        "website": "https://tallgrassteen.example",
        "accepting": "waitlist",
        "accepting_note": "Short wait, usually under two weeks.",
        "last_verified": "2026-10-28",
        "accreditations": ["coa"],
        "state_licensed": True,
        "physician": "none",
        "licensed_clinicians": True,
        "buprenorphine": False,
        "methadone": False,
        "naltrexone": False,
        "aftercare": True,
        "locations": [
            {
                "street": "2650 North Prairie Rose Avenue",
                "city": "Chicago",
                "state": "IL",
                "postal_code": "60647",
                "latitude": 41.92174,
                "longitude": -87.70126,
                "note": "",
            },
        ],
    },
    {
        "slug": "windfall-harbor-outpatient",
        "name": "Windfall Harbor Outpatient",
        "organisation": "Windfall Harbor Counseling",
        "summary": (
            "Weekly outpatient counselling on Chicago's North Side, in "
            "several languages, free for people without insurance."
        ),
        "description": (
            "Windfall Harbor offers one or two counselling sessions a week. "
            "It suits people who want to cut down or stop, or who have "
            "finished an IOP and want to keep their progress going.\n\n"
            "Counsellors speak Arabic, Polish, Russian and English. "
            "Interpreters for other languages are free.\n\n"
            "Sessions are in person or by video, and there is no cost if you "
            "do not have insurance."
        ),
        "levels": ["outpatient"],
        "services": [
            ["individual-counselling", ""],
            ["group-counselling", ""],
            ["relapse-prevention", ""],
            ["telehealth", ""],
            ["peer-support-groups", ""],
        ],
        "populations": ["adults", "older-adults"],
        "age_min": 18,
        "age_max": None,
        "hours_min": 1,
        "hours_max": 3,
        "sessions_per_week": 2,
        "length_weeks": 24,
        "schedule_day": True,
        "schedule_evening": True,
        "schedule_weekend": False,
        "telehealth": True,
        "languages": ["en", "ar", "pl", "ru"],
        "payments": ["medicaid", "medicare", "free"],
        "phone": "(773) 555-0103",
        "email": "intake@windfallharbor.example",
        "website": "https://windfallharbor.example",
        "accepting": "yes",
        "accepting_note": "",
        "last_verified": "2026-05-12",
        "accreditations": [],
        "state_licensed": True,
        "physician": "none",
        "licensed_clinicians": True,
        "buprenorphine": False,
        "methadone": False,
        "naltrexone": False,
        "aftercare": False,
        "locations": [
            {
                "street": "4810 North Birchwood Avenue",
                "city": "Chicago",
                "state": "IL",
                "postal_code": "60640",
                "latitude": 41.97121,
                "longitude": -87.66034,
                "note": "",
            },
        ],
    },
    # ------------------------------------------------------------------
    # Florida (2)
    # ------------------------------------------------------------------
    {
        "slug": "coral-lantern-recovery",
        "name": "Coral Lantern Recovery",
        "organisation": "Coral Lantern Community Services",
        "summary": (
            "An IOP in Miami with groups in Spanish, Haitian Creole and "
            "English, free rides and a sliding fee."
        ),
        "description": (
            "Coral Lantern welcomes adults from every background. Groups are "
            "held in Spanish, Haitian Creole and English, and staff know the "
            "community well.\n\n"
            "If you have no safe place to stay, the team can help you find a "
            "recovery home. A van picks people up from nearby bus hubs.\n\n"
            "Groups run on weekday evenings and Sunday afternoons."
        ),
        "levels": ["iop"],
        "services": [
            ["group-counselling", "Spanish, Haitian Creole and English"],
            ["individual-counselling", ""],
            ["motivational-interviewing", ""],
            ["medication-assisted-treatment", "Buprenorphine"],
            ["overdose-prevention", "Free naloxone"],
            ["transportation-assistance", "Van pickup"],
            ["sober-living-referral", ""],
            ["peer-support-groups", ""],
            ["employment-help", ""],
            ["case-management", ""],
        ],
        "populations": ["adults", "young-adults", "people-in-criminal-justice-system"],
        "age_min": 18,
        "age_max": None,
        "hours_min": 9,
        "hours_max": 12,
        "sessions_per_week": 4,
        "length_weeks": 16,
        "schedule_day": False,
        "schedule_evening": True,
        "schedule_weekend": True,
        "telehealth": False,
        "languages": ["es", "ht", "en", "fr"],
        "payments": ["medicaid", "sliding-fee", "free", "payment-assistance"],
        "phone": "(305) 555-0137",
        "email": "intake@corallantern.example",
        "website": "https://corallantern.example",
        "accepting": "yes",
        "accepting_note": "",
        "last_verified": "2026-05-02",
        "accreditations": ["carf"],
        "state_licensed": True,
        "physician": "on_call",
        "licensed_clinicians": True,
        "buprenorphine": True,
        "methadone": False,
        "naltrexone": False,
        "aftercare": True,
        "locations": [
            {
                "street": "1740 Southwest Gumbo Limbo Street",
                "city": "Miami",
                "state": "FL",
                "postal_code": "33135",
                "latitude": 25.76712,
                "longitude": -80.23024,
                "note": "",
            },
            {
                "street": "220 Northwest Sea Grape Court",
                "city": "Miami",
                "state": "FL",
                "postal_code": "33136",
                "latitude": 25.78587,
                "longitude": -80.20291,
                "note": "Sunday groups",
            },
        ],
    },
    {
        "slug": "gulfbreeze-evening-outpatient",
        "name": "Gulfbreeze Evening Outpatient",
        "organisation": "Gulfbreeze Counseling Associates",
        "summary": (
            "Evening and weekend outpatient counselling in downtown Tampa, in person or by video."
        ),
        "description": (
            "Gulfbreeze is built for people with busy days. Sessions start at "
            "6 pm on weeknights, and there are Saturday groups too.\n\n"
            "You meet a counsellor once a week and can add a group. Many "
            "people come here after finishing an IOP, to keep their skills "
            "sharp.\n\n"
            "Most sessions can be joined by video."
        ),
        "levels": ["outpatient"],
        "services": [
            ["individual-counselling", ""],
            ["group-counselling", "Saturday mornings"],
            ["cbt", ""],
            ["relapse-prevention", ""],
            ["telehealth", ""],
        ],
        "populations": ["adults", "young-adults"],
        "age_min": 18,
        "age_max": None,
        "hours_min": 1,
        "hours_max": 4,
        "sessions_per_week": 2,
        "length_weeks": 12,
        "schedule_day": False,
        "schedule_evening": True,
        "schedule_weekend": True,
        "telehealth": True,
        "languages": ["en"],
        "payments": ["private-insurance", "self-pay"],
        "phone": "(813) 555-0150",
        "email": "intake@gulfbreeze.example",
        "website": "https://gulfbreeze.example",
        "accepting": "yes",
        "accepting_note": "",
        "last_verified": "2026-10-09",
        "accreditations": [],
        "state_licensed": True,
        "physician": "none",
        "licensed_clinicians": True,
        "buprenorphine": False,
        "methadone": False,
        "naltrexone": False,
        "aftercare": False,
        "locations": [
            {
                "street": "501 East Seagrass Street, Suite 300",
                "city": "Tampa",
                "state": "FL",
                "postal_code": "33602",
                "latitude": 27.95988,
                "longitude": -82.45813,
                "note": "",
            },
        ],
    },
    # ------------------------------------------------------------------
    # Seattle (1)
    # ------------------------------------------------------------------
    {
        "slug": "cascade-signs-recovery",
        "name": "Cascade Signs Recovery",
        "organisation": "Cascade Signs Deaf Wellness",
        "summary": (
            "An IOP in Seattle for people who are Deaf or hard of hearing, "
            "with every session in American Sign Language."
        ),
        "description": (
            "At Cascade Signs, counsellors sign fluently, so you talk to them "
            "directly, not through an interpreter. Many staff are Deaf "
            "themselves.\n\n"
            "Groups meet in person in Seattle, and there are ASL video groups "
            "for people who live further away anywhere in the state.\n\n"
            "Hearing family members can join family sessions with an "
            "interpreter provided."
        ),
        "levels": ["iop"],
        "services": [
            ["group-counselling", "All groups in ASL"],
            ["individual-counselling", ""],
            ["cbt", ""],
            ["mental-health-care", ""],
            ["family-therapy", "Interpreter provided"],
            ["peer-support-groups", "Deaf recovery meetings"],
            ["telehealth", "ASL video groups statewide"],
            ["case-management", ""],
        ],
        "populations": ["deaf-hard-of-hearing", "adults", "young-adults"],
        "age_min": 18,
        "age_max": None,
        "hours_min": 9,
        "hours_max": 12,
        "sessions_per_week": 3,
        "length_weeks": 12,
        "schedule_day": True,
        "schedule_evening": True,
        "schedule_weekend": False,
        "telehealth": True,
        "languages": ["ase", "en"],
        "payments": ["medicaid", "private-insurance", "state-insurance", "sliding-fee"],
        "phone": "(206) 555-0124",
        "email": "intake@cascadesigns.example",
        "website": "https://cascadesigns.example",
        "accepting": "yes",
        "accepting_note": "Contact by video phone, text or email.",
        "last_verified": "2026-11-12",
        "accreditations": ["carf"],
        "state_licensed": True,
        "physician": "none",
        "licensed_clinicians": True,
        "buprenorphine": False,
        "methadone": False,
        "naltrexone": False,
        "aftercare": True,
        "locations": [
            {
                "street": "1602 East Huckleberry Street",
                "city": "Seattle",
                "state": "WA",
                "postal_code": "98122",
                "latitude": 47.61203,
                "longitude": -122.30712,
                "note": "",
            },
            {
                "street": "310 Salal Way, Suite 500",
                "city": "Seattle",
                "state": "WA",
                "postal_code": "98104",
                "latitude": 47.60314,
                "longitude": -122.32488,
                "note": "Thursday evening group",
            },
        ],
    },
    # ------------------------------------------------------------------
    # Denver (1)
    # ------------------------------------------------------------------
    {
        "slug": "kettle-bridge-pathways",
        "name": "Kettle Bridge Pathways",
        "organisation": "Kettle Bridge Reentry Services",
        "summary": (
            "An IOP and outpatient program in Denver for people involved with "
            "courts, probation or parole, with help finding housing and work."
        ),
        "description": (
            "Coming home from jail or prison, or being on probation, brings a "
            "lot to handle at once. Kettle Bridge helps you take it one step at "
            "a time.\n\n"
            "Along with counselling, a case manager helps with ID, housing, "
            "benefits and court paperwork. Staff can send attendance updates "
            "to your officer if you ask them to.\n\n"
            "Job help, bus passes and referrals to recovery homes are part of "
            "the program."
        ),
        "levels": ["iop", "outpatient"],
        "services": [
            ["group-counselling", ""],
            ["individual-counselling", ""],
            ["cbt", ""],
            ["motivational-interviewing", ""],
            ["medication-assisted-treatment", "Naltrexone and buprenorphine"],
            ["case-management", "Housing, ID and court paperwork"],
            ["employment-help", ""],
            ["transportation-assistance", "Bus passes"],
            ["sober-living-referral", ""],
            ["peer-recovery-coaching", ""],
            ["life-skills", ""],
        ],
        "populations": ["people-in-criminal-justice-system", "adults", "young-adults"],
        "age_min": 18,
        "age_max": None,
        "hours_min": 4,
        "hours_max": 12,
        "sessions_per_week": 3,
        "length_weeks": 20,
        "schedule_day": True,
        "schedule_evening": True,
        "schedule_weekend": False,
        "telehealth": False,
        "languages": ["en", "es"],
        "payments": ["medicaid", "state-insurance", "free"],
        "phone": "(303) 555-0175",
        "email": "intake@kettlebridgepathways.example",
        "website": "https://kettlebridgepathways.example",
        "accepting": "yes",
        "accepting_note": "",
        "last_verified": "2026-10-26",
        "accreditations": [],
        "state_licensed": True,
        "physician": "on_call",
        "licensed_clinicians": True,
        "buprenorphine": True,
        "methadone": False,
        "naltrexone": True,
        "aftercare": True,
        "locations": [
            {
                "street": "1350 Aspen Hollow Street",
                "city": "Denver",
                "state": "CO",
                "postal_code": "80218",
                "latitude": 39.73341,
                "longitude": -104.97052,
                "note": "",
            },
        ],
    },
    # ------------------------------------------------------------------
    # Atlanta (1)
    # ------------------------------------------------------------------
    {
        "slug": "ironleaf-mens-recovery",
        "name": "Ironleaf Men's Recovery",
        "organisation": "Ironleaf Counseling Group",
        "summary": (
            "An IOP in Atlanta for men, with daytime and evening groups and a "
            "focus on fathers and families."
        ),
        "description": (
            "Ironleaf gives men a place to talk honestly about stress, anger, "
            "grief and substance use, without being judged. Groups are small "
            "and steady, so trust can grow.\n\n"
            "A fathers' group helps dads reconnect with their children. Family "
            "sessions are offered once a month.\n\n"
            "The program is full right now. Call and the team will help you "
            "find care elsewhere."
        ),
        "levels": ["iop"],
        "services": [
            ["group-counselling", "Men's groups"],
            ["individual-counselling", ""],
            ["cbt", ""],
            ["family-therapy", "Fathers' group and monthly family sessions"],
            ["drug-alcohol-testing", ""],
            ["peer-support-groups", ""],
            ["employment-help", ""],
        ],
        "populations": ["men", "adults"],
        "age_min": 18,
        "age_max": None,
        "hours_min": 9,
        "hours_max": 12,
        "sessions_per_week": 3,
        "length_weeks": 12,
        "schedule_day": True,
        "schedule_evening": True,
        "schedule_weekend": False,
        "telehealth": False,
        "languages": ["en"],
        "payments": ["private-insurance", "self-pay", "payment-assistance"],
        "phone": "(404) 555-0181",
        "email": "intake@ironleafmen.example",
        "website": "https://ironleafmen.example",
        "accepting": "no",
        "accepting_note": "Not taking new people right now. We will help you find another program.",
        "last_verified": "2026-03-05",
        "accreditations": ["carf"],
        "state_licensed": True,
        "physician": "none",
        "licensed_clinicians": True,
        "buprenorphine": False,
        "methadone": False,
        "naltrexone": False,
        "aftercare": True,
        "locations": [
            {
                "street": "590 Peachleaf Avenue Southeast",
                "city": "Atlanta",
                "state": "GA",
                "postal_code": "30312",
                "latitude": 33.74712,
                "longitude": -84.37652,
                "note": "",
            },
        ],
    },
    # ------------------------------------------------------------------
    # Boston (1)
    # ------------------------------------------------------------------
    {
        "slug": "brickfern-recovery-partners",
        "name": "Brickfern Recovery Partners",
        "organisation": "Brickfern Health Collaborative",
        "summary": (
            "Day treatment and IOP in Boston with every type of medication for "
            "opioid use disorder, plus mental health care."
        ),
        "description": (
            "Brickfern focuses on people living with opioid use disorder, "
            "including people who also use alcohol or stimulants. You can "
            "choose buprenorphine, methadone (with a partner clinic next "
            "door) or naltrexone, and change if it is not working for you.\n\n"
            "The day program gives close support for the first weeks. Then "
            "you move to the IOP, and later to weekly care.\n\n"
            "Free naloxone and overdose training are offered to you and your "
            "family."
        ),
        "levels": ["php", "iop"],
        "services": [
            ["medication-assisted-treatment", "Buprenorphine, methadone, naltrexone"],
            ["individual-counselling", ""],
            ["group-counselling", ""],
            ["mental-health-care", ""],
            ["psychiatric-medication", ""],
            ["medical-care", "Hepatitis C and HIV testing and care"],
            ["overdose-prevention", ""],
            ["medically-managed-withdrawal", "Through a partner hospital"],
            ["case-management", ""],
            ["peer-recovery-coaching", ""],
            ["sober-living-referral", ""],
            ["crisis-line-24h", ""],
        ],
        "populations": ["adults", "young-adults", "pregnant-postpartum", "co-occurring"],
        "age_min": 18,
        "age_max": None,
        "hours_min": 9,
        "hours_max": 24,
        "sessions_per_week": 5,
        "length_weeks": 16,
        "schedule_day": True,
        "schedule_evening": True,
        "schedule_weekend": False,
        "telehealth": False,
        "languages": ["en", "es", "pt", "ht"],
        "payments": ["medicaid", "medicare", "private-insurance", "state-insurance"],
        "phone": "(617) 555-0109",
        "email": "intake@brickfernrecovery.example",
        "website": "https://brickfernrecovery.example",
        "accepting": "yes",
        "accepting_note": "Same-day medication starts on weekdays.",
        "last_verified": "2026-11-19",
        "accreditations": ["joint-commission", "carf"],
        "state_licensed": True,
        "physician": "on_staff",
        "licensed_clinicians": True,
        "buprenorphine": True,
        "methadone": True,
        "naltrexone": True,
        "aftercare": True,
        "locations": [
            {
                "street": "745 Brickyard Lane",
                "city": "Boston",
                "state": "MA",
                "postal_code": "02118",
                "latitude": 42.33712,
                "longitude": -71.07166,
                "note": "",
            },
        ],
    },
    # ------------------------------------------------------------------
    # Columbus (1)
    # ------------------------------------------------------------------
    {
        "slug": "sparrowfield-young-adult-iop",
        "name": "Sparrowfield Young Adult IOP",
        "organisation": "Sparrowfield Counseling Center",
        "summary": (
            "An evening IOP in Columbus for people aged 18 to 25, built around "
            "classes, jobs and everything else young adults juggle."
        ),
        "description": (
            "Sparrowfield is for students and young workers. Groups meet in the "
            "evening so you can keep up with classes and shifts, and you can "
            "join by video during exam weeks.\n\n"
            "Sessions cover alcohol, cannabis, stimulants and vaping, along "
            "with stress, anxiety and sleep. Creative groups use music and "
            "art.\n\n"
            "Parents or partners can join family sessions if you want them "
            "to."
        ),
        "levels": ["iop"],
        "services": [
            ["group-counselling", "Young adult groups"],
            ["individual-counselling", ""],
            ["dbt", ""],
            ["motivational-interviewing", ""],
            ["alternative-therapies", "Music and art"],
            ["mental-health-care", ""],
            ["family-therapy", "If you choose"],
            ["telehealth", ""],
            ["peer-support-groups", "Campus recovery meetings"],
        ],
        "populations": ["young-adults", "co-occurring", "lgbtq"],
        "age_min": 18,
        "age_max": 25,
        "hours_min": 9,
        "hours_max": 10,
        "sessions_per_week": 3,
        "length_weeks": 10,
        "schedule_day": False,
        "schedule_evening": True,
        "schedule_weekend": False,
        "telehealth": True,
        "languages": ["en", "hi"],
        "payments": ["private-insurance", "medicaid", "sliding-fee"],
        "phone": "(614) 555-0127",
        "email": "intake@sparrowfieldiop.example",
        "website": "https://sparrowfieldiop.example",
        "accepting": "yes",
        "accepting_note": "",
        "last_verified": "2026-10-03",
        "accreditations": ["coa"],
        "state_licensed": True,
        "physician": "on_call",
        "licensed_clinicians": True,
        "buprenorphine": False,
        "methadone": False,
        "naltrexone": False,
        "aftercare": True,
        "locations": [
            {
                "street": "1880 North Hickory Row",
                "city": "Columbus",
                "state": "OH",
                "postal_code": "43201",
                "latitude": 39.99406,
                "longitude": -83.00623,
                "note": "",
            },
        ],
    },
    # ------------------------------------------------------------------
    # Phoenix (1)
    # ------------------------------------------------------------------
    {
        "slug": "saguaro-dawn-healing-circle",
        "name": "Saguaro Dawn Healing Circle",
        "organisation": "Saguaro Dawn Urban Indian Wellness",
        "summary": (
            "A culturally grounded IOP in Phoenix that welcomes Native "
            "American people and their families, and anyone who needs care."
        ),
        "description": (
            "Saguaro Dawn blends proven therapies with traditional ways of "
            "healing, like talking circles and time with elders, for those "
            "who want them.\n\n"
            "Families are welcome. The program can also help with rides, "
            "housing referrals and connecting with tribal and urban Indian "
            "health services.\n\n"
            "There is no cost for people eligible for Indian Health Service "
            "funding, and fees for others go by income."
        ),
        "levels": ["iop"],
        "services": [
            ["group-counselling", "Talking circles"],
            ["individual-counselling", ""],
            ["motivational-interviewing", ""],
            ["trauma-informed-care", ""],
            ["alternative-therapies", "Traditional healing practices"],
            ["family-therapy", ""],
            ["transportation-assistance", ""],
            ["case-management", ""],
            ["medication-assisted-treatment", "Buprenorphine"],
        ],
        "populations": ["adults", "young-adults", "co-occurring"],
        "age_min": 18,
        "age_max": None,
        "hours_min": 9,
        "hours_max": 15,
        "sessions_per_week": 4,
        "length_weeks": 14,
        "schedule_day": True,
        "schedule_evening": False,
        "schedule_weekend": True,
        "telehealth": False,
        "languages": ["en", "es"],
        "payments": ["ihs-tribal-urban", "medicaid", "sliding-fee", "free"],
        "phone": "(602) 555-0148",
        "email": "intake@saguarodawn.example",
        "website": "https://saguarodawn.example",
        "accepting": "yes",
        "accepting_note": "",
        "last_verified": "2026-06-10",
        "accreditations": [],
        "state_licensed": True,
        "physician": "on_call",
        "licensed_clinicians": True,
        "buprenorphine": True,
        "methadone": False,
        "naltrexone": False,
        "aftercare": True,
        "locations": [
            {
                "street": "2415 East Palo Verde Lane",
                "city": "Phoenix",
                "state": "AZ",
                "postal_code": "85006",
                "latitude": 33.46612,
                "longitude": -112.04584,
                "note": "",
            },
        ],
    },
    # ------------------------------------------------------------------
    # Portland (1)
    # ------------------------------------------------------------------
    {
        "slug": "willamette-fern-counseling",
        "name": "Willamette Fern Counseling",
        "organisation": "Willamette Fern Behavioral Health",
        "summary": (
            "An evening IOP in Portland that you can join in person or fully "
            "by video from anywhere in the state."
        ),
        "description": (
            "Willamette Fern was designed for people who live far from a "
            "treatment centre, work odd hours, or cannot easily travel. "
            "Every group is offered in person and by secure video.\n\n"
            "You meet three evenings a week, from 6 pm to 9 pm, plus one "
            "private session with your counsellor.\n\n"
            "If you need a quiet, private space to join from, the team can "
            "help you find one."
        ),
        "levels": ["iop"],
        "services": [
            ["group-counselling", ""],
            ["individual-counselling", ""],
            ["cbt", ""],
            ["motivational-interviewing", ""],
            ["telehealth", "All sessions by video if you prefer"],
            ["drug-alcohol-testing", "Home test kits by mail"],
            ["peer-support-groups", ""],
            ["aftercare-planning", ""],
        ],
        "populations": ["adults", "young-adults"],
        "age_min": 18,
        "age_max": None,
        "hours_min": 9,
        "hours_max": 10,
        "sessions_per_week": 4,
        "length_weeks": 12,
        "schedule_day": False,
        "schedule_evening": True,
        "schedule_weekend": False,
        "telehealth": True,
        "telehealth_states": "OR,WA",
        "languages": ["en", "ru"],
        "payments": ["medicaid", "private-insurance", "self-pay"],
        "phone": "(503) 555-0199",
        "email": "intake@willamettefern.example",
        "website": "https://willamettefern.example",
        "accepting": "yes",
        "accepting_note": "",
        "last_verified": "2026-11-01",
        "accreditations": ["ncqa"],
        "state_licensed": True,
        "physician": "none",
        "licensed_clinicians": True,
        "buprenorphine": False,
        "methadone": False,
        "naltrexone": False,
        "aftercare": True,
        "locations": [
            {
                "street": "1012 Southeast Thimbleberry Street",
                "city": "Portland",
                "state": "OR",
                "postal_code": "97214",
                "latitude": 45.51386,
                "longitude": -122.63719,
                "note": "",
            },
        ],
    },
    # ------------------------------------------------------------------
    # Residential and medically managed withdrawal (3): the first step for
    # people whose screening suggests more than IOP
    # ------------------------------------------------------------------
    {
        "slug": "hollowbrook-residential-recovery",
        "name": "Hollowbrook Residential Recovery",
        "organisation": "Hollowbrook Recovery Communities",
        "summary": (
            "A calm residential program in Yonkers for adults who need a safe, "
            "substance-free place to live while they start recovery, with an "
            "IOP to step down to afterwards."
        ),
        "description": (
            "Hollowbrook is for adults who need more than a few hours of care a "
            "week, or whose home is not a safe place to recover right now. You "
            "live on site, with staff there day and night.\n\n"
            "Each day has individual and group sessions, meals together and time "
            "outside. Family members are invited to a weekend session.\n\n"
            "Most people stay about four weeks. Before you leave, the team helps "
            "you find sober housing if you need it and start the Hollowbrook IOP "
            "in the evenings, so your care carries on."
        ),
        "levels": ["residential", "iop"],
        "services": [
            ["individual-counselling", "Several times a week"],
            ["group-counselling", "Every day"],
            ["cbt", ""],
            ["family-therapy", "Weekend family sessions"],
            ["medication-assisted-treatment", "Buprenorphine and naltrexone"],
            ["mental-health-care", ""],
            ["medical-care", "Nurse on site day and night"],
            ["peer-support-groups", ""],
            ["case-management", ""],
            ["sober-living-referral", "Help finding sober housing before you leave"],
            ["aftercare-planning", ""],
        ],
        "populations": ["adults", "co-occurring"],
        "age_min": 18,
        "age_max": None,
        "hours_min": None,
        "hours_max": None,
        "sessions_per_week": None,
        "length_weeks": 4,
        "schedule_day": True,
        "schedule_evening": True,
        "schedule_weekend": True,
        "telehealth": False,
        "languages": ["en", "es"],
        "payments": ["medicaid", "private-insurance", "self-pay"],
        "phone": "(914) 555-0116",
        "email": "admissions@hollowbrook.example",
        "website": "https://hollowbrook.example",
        "accepting": "waitlist",
        "accepting_note": "Call for a bed date; most people wait less than a week.",
        "last_verified": "2026-10-28",
        "accreditations": ["carf"],
        "state_licensed": True,
        "physician": "on_staff",
        "licensed_clinicians": True,
        "buprenorphine": True,
        "methadone": False,
        "naltrexone": True,
        "aftercare": True,
        "locations": [
            {
                "street": "57 Hollowbrook Terrace",
                "city": "Yonkers",
                "state": "NY",
                "postal_code": "10701",
                "latitude": 40.9461,
                "longitude": -73.8669,
                "note": "Residential house and day rooms",
            },
        ],
    },
    {
        "slug": "quillmont-withdrawal-care",
        "name": "Quillmont Medical Withdrawal Care",
        "organisation": "Quillmont Health",
        "summary": (
            "A small hospital-based unit in Chicago where doctors and nurses "
            "help adults stop alcohol, opioids or sedatives safely."
        ),
        "description": (
            "Stopping some substances suddenly can be dangerous. At Quillmont, "
            "doctors and nurses watch over you day and night and give you "
            "medicine to ease withdrawal and keep you safe.\n\n"
            "Most people stay three to seven days. A case manager meets you on "
            "the first day and, before you go home, books your next step: an "
            "IOP, a residential program or outpatient care.\n\n"
            "If you use opioids, you can start buprenorphine or methadone here "
            "and keep taking it afterwards."
        ),
        "levels": ["withdrawal_management"],
        "services": [
            ["medically-managed-withdrawal", "Doctors and nurses day and night"],
            ["medical-care", ""],
            ["medication-assisted-treatment", "Buprenorphine and methadone started on the unit"],
            ["psychiatric-medication", ""],
            ["overdose-prevention", "Naloxone kit for every person who leaves"],
            ["case-management", "Next step booked before you go home"],
            ["crisis-line-24h", ""],
            ["aftercare-planning", ""],
        ],
        "populations": ["adults", "older-adults", "co-occurring"],
        "age_min": 18,
        "age_max": None,
        "hours_min": None,
        "hours_max": None,
        "sessions_per_week": None,
        "length_weeks": 1,
        "schedule_day": True,
        "schedule_evening": True,
        "schedule_weekend": True,
        "telehealth": False,
        "languages": ["en", "es", "pl"],
        "payments": ["medicaid", "medicare", "private-insurance"],
        "phone": "(312) 555-0152",
        "email": "intake@quillmont.example",
        "website": "https://quillmont.example",
        "accepting": "yes",
        "accepting_note": "Admissions any time, day or night.",
        "last_verified": "2026-11-12",
        "accreditations": ["joint-commission"],
        "state_licensed": True,
        "physician": "on_staff",
        "licensed_clinicians": True,
        "buprenorphine": True,
        "methadone": True,
        "naltrexone": True,
        "aftercare": True,
        "locations": [
            {
                "street": "1830 West Quillmont Avenue, 4th Floor",
                "city": "Chicago",
                "state": "IL",
                "postal_code": "60612",
                "latitude": 41.8805,
                "longitude": -87.6873,
                "note": "Enter by the hospital's east door",
            },
        ],
    },
    {
        "slug": "canyon-sage-recovery-house",
        "name": "Canyon Sage Recovery House",
        "organisation": "Canyon Sage Behavioral Health",
        "summary": (
            "Medically managed withdrawal and residential care under one roof "
            "in Pasadena, for adults who need to stop safely and then keep "
            "going."
        ),
        "description": (
            "Canyon Sage starts with a few days of medical care while your body "
            "adjusts. Then you can move straight into the residential program "
            "in the same building, with the same team.\n\n"
            "The residential days include therapy groups, one-to-one sessions, "
            "exercise and quiet time. Families can join a video session each "
            "week.\n\n"
            "When you leave, the team connects you with an IOP close to your "
            "home."
        ),
        "levels": ["withdrawal_management", "residential"],
        "services": [
            ["medically-managed-withdrawal", ""],
            ["medical-care", ""],
            ["individual-counselling", ""],
            ["group-counselling", ""],
            ["dbt", ""],
            ["trauma-informed-care", ""],
            ["psychiatric-medication", ""],
            ["family-therapy", "Weekly, by video"],
            ["alternative-therapies", "Yoga and art"],
            ["aftercare-planning", ""],
        ],
        "populations": ["adults", "women", "co-occurring"],
        "age_min": 18,
        "age_max": None,
        "hours_min": None,
        "hours_max": None,
        "sessions_per_week": None,
        "length_weeks": 5,
        "schedule_day": True,
        "schedule_evening": True,
        "schedule_weekend": True,
        "telehealth": False,
        "languages": ["en", "es", "ko"],
        "payments": ["private-insurance", "medicare", "self-pay", "payment-assistance"],
        "phone": "(626) 555-0139",
        "email": "admissions@canyonsage.example",
        "website": "https://canyonsage.example",
        "accepting": "yes",
        "accepting_note": "",
        "last_verified": "2026-11-06",
        "accreditations": ["joint-commission", "carf"],
        "state_licensed": True,
        "physician": "on_staff",
        "licensed_clinicians": True,
        "buprenorphine": True,
        "methadone": False,
        "naltrexone": True,
        "aftercare": True,
        "locations": [
            {
                "street": "212 North Sagebrush Court",
                "city": "Pasadena",
                "state": "CA",
                "postal_code": "91101",
                "latitude": 34.1468,
                "longitude": -118.1391,
                "note": "",
            },
        ],
    },
]
