"""Small builders for test data (reference data comes from the data migrations)."""

import itertools

from iop.models import (
    Language,
    LevelOfCare,
    Location,
    PaymentOption,
    Population,
    Program,
    ProgramService,
    Service,
)

_seq = itertools.count(1)


def make_program(
    *, name=None, levels=("iop",), services=(), populations=(), payments=(), languages=(),
    state="NY", city="New York", postal_code="10001", latitude=40.75, longitude=-73.99,
    locations=1, is_published=True, **fields,
) -> Program:
    n = next(_seq)
    name = name or f"Test Program {n}"
    program = Program.objects.create(
        name=name, slug=fields.pop("slug", f"test-program-{n}"),
        summary=fields.pop("summary", f"Summary of {name}."), is_published=is_published,
        **fields,
    )
    program.levels.set(LevelOfCare.objects.filter(code__in=levels))
    for slug in services:
        ProgramService.objects.create(program=program, service=Service.objects.get(slug=slug))
    program.populations.set(Population.objects.filter(slug__in=populations))
    program.payment_options.set(PaymentOption.objects.filter(slug__in=payments))
    program.languages.set(Language.objects.filter(code__in=languages))
    for i in range(locations):
        Location.objects.create(
            program=program, street=f"{100 + i} Main Street", city=city, state=state,
            postal_code=postal_code, latitude=latitude, longitude=longitude,
        )
    return program
