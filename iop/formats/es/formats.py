"""Spanish as written in the United States: the day first in words ("2 de diciembre de
2026"), but numbers as US agencies print them in Spanish, with a decimal point and a comma
between thousands ("1.5 millas", "10,000"). Django's own Spanish formats (Spain) use a
decimal comma, which would make "1,5 millas" read as fifteen to many readers here."""

DATE_FORMAT = r"j \d\e F \d\e Y"
SHORT_DATE_FORMAT = "m/d/Y"
DATETIME_FORMAT = r"j \d\e F \d\e Y, g:i a"
TIME_FORMAT = "g:i a"
MONTH_DAY_FORMAT = r"j \d\e F"
YEAR_MONTH_FORMAT = r"F \d\e Y"
FIRST_DAY_OF_WEEK = 0  # Sunday, as US calendars
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
