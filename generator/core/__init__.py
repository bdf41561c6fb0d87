"""Reading and checking a dossier: its files, the typed model, validation, linking, the library; the base (errors, hints, words, dates, quotes)."""
