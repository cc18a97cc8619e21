"""Reference data for IOP Navigator: levels of care, services, populations and lookups, as
shipped in iop/data/reference_data.json (English) and iop/data/reference_es.json (Spanish).

Plain data only (no Django imports). Data migrations and the ``load_demo`` command read these
lists; staff can edit the texts later in the admin. Level codes and ranks are fixed (DESIGN §5);
hours are per week, and null means "no number applies" (open-ended or 24-hour care).

Writing rules (DESIGN §9): plain words a 12-year-old can read, say "you", person-first and
non-judging language, warm and hopeful, US spelling.
"""

import json
from pathlib import Path

_DATA = json.loads(
    (Path(__file__).resolve().parent / "data" / "reference_data.json").read_text("utf-8")
)

LEVELS: list[dict] = _DATA["levels"]
SERVICE_CATEGORIES: list[tuple[str, str]] = [tuple(pair) for pair in _DATA["service_categories"]]
SERVICES: list[dict] = _DATA["services"]
POPULATIONS: list[dict] = _DATA["populations"]
PAYMENT_OPTIONS: list[dict] = _DATA["payment_options"]
LANGUAGES: list[dict] = _DATA["languages"]
ACCREDITATIONS: list[dict] = _DATA["accreditations"]
CRISIS_RESOURCES: list[dict] = _DATA["crisis_resources"]
