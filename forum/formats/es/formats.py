"""Chile's number format for the Spanish pages: «1.820», «3,5» (Django's ``es`` groups
thousands with a space). Everything else (dates) falls through to Django's ``es``."""

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
