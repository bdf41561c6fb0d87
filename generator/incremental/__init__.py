"""What a build or ``dossier serve`` keeps and reuses between two runs."""
