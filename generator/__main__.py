"""``python -m generator`` is the ``dossier`` command."""

from .cli import main

if __name__ == "__main__":  # pragma: no branch
    main(prog_name="dossier")
