"""Reading the JSON a screening command is given (a file, or - for standard input), with the
same clear messages and exit status 2 for everything a person can get wrong."""

import json

from django.core.management.base import CommandError

INPUT_ERROR = 2


def input_error(message: str) -> CommandError:
    return CommandError(message, returncode=INPUT_ERROR)


def json_read(file: str, stdin, *, name: str | None = None):
    """The parsed JSON of ``file`` (or of ``stdin`` when it is ``-``)."""
    name = name or ("standard input" if file == "-" else file)
    try:
        if file == "-":
            text = stdin.read()
        else:
            with open(file, encoding="utf-8") as handle:
                text = handle.read()
    except OSError as error:
        raise input_error(f"Cannot read {name}: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise input_error(f"Cannot read {name}: it is not UTF-8 text.") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise input_error(
            f"{name} is not valid JSON: {error.msg} (line {error.lineno}, column "
            f"{error.colno})."
        ) from error
