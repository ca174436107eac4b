"""spaCy rule extractors (processes, dates, events, memberships) and their data."""
