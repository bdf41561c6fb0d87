"""Profile one command of the project on a synthetic dossier, in process, with cProfile.

``python benchmarks/profile_commands.py {check,build,pdf} [--n 2000] [--top 30] [--sort cumulative]``
makes (or reuses) the synthetic dossier of size N, runs the command through
the ``dossier`` command line inside this process, and prints the functions
that took the most time. ``--out FILE`` keeps the raw statistics (for
``snakeviz`` or ``pstats``). This is a tool for finding hot spots, not a
measurement: profiling slows Python code down several times.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import site_config
from synth import DEFAULT_OUT, dossier_id, make_dossier


def command_args(command: str, folder: Path, work: Path) -> list[str]:
    """The ``dossier`` arguments that run *command* on *folder*, writing under *work*."""
    if command == "check":
        return ["check", str(folder)]
    if command == "pdf":
        return ["pdf", str(folder), "-o", str(work / "out.pdf")]
    config = site_config(work)
    return ["build", "-f", str(config), "--no-pdf", "--dossiers", str(folder), "--site-dir", str(work / "site")]


def profile_command(args: list[str], out: Path | None) -> pstats.Stats:
    """Run ``dossier ARGS`` under cProfile; the statistics."""
    from generator.cli import main

    profiler = cProfile.Profile()
    profiler.enable()
    try:
        main.main(args=args, standalone_mode=False)
    except SystemExit:
        pass
    finally:
        profiler.disable()
    if out is not None:
        profiler.dump_stats(str(out))
    return pstats.Stats(profiler)


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=("check", "build", "pdf"))
    parser.add_argument("--n", type=int, default=2000, help="size of the synthetic dossier (default: %(default)s)")
    parser.add_argument("--top", type=int, default=30, help="how many functions to list (default: %(default)s)")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key: cumulative or tottime")
    parser.add_argument("--out", type=Path, default=None, help="write the raw statistics to this file")
    args = parser.parse_args(argv)
    folder = DEFAULT_OUT / dossier_id(args.n)
    if not (folder / "dossier.yaml").exists():
        folder = make_dossier(args.n, DEFAULT_OUT)
    with tempfile.TemporaryDirectory(prefix="dossier-profile-") as tmp:
        stats = profile_command(command_args(args.command, folder, Path(tmp)), args.out)
    stats.sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
