"""Measure the project against its floors, on this machine, and print a Markdown table.

``python benchmarks/run.py [--sizes 400,2000] [--runs 3] [--quick] [--only check,site,growth,pdf]``

Every figure is the project's command run as a subprocess, timed against a
baseline that does the least the same job needs, on the same synthetic
dossier (:mod:`synth`):

* **check**: ``dossier check`` against PyYAML's C loader composing the same
  YAML files. Target: at most 2x.
* **site**: ``dossier build --no-pdf`` against plain MkDocs + Material
  building the same pages (written to a ``docs/`` folder beforehand) with the
  same small navigation and no plugin. Target: at most 1.3x. And against
  plain MkDocs + Material building the same *facts* as one simple Markdown
  page per entity (:mod:`baselines`). Target: at most 2x. Both rows give the
  output's size and its search index's.
* **growth**: the site build at N and 2N, doubling up to about 10,000
  entities. Target: doubling N at most doubles the time (ratio <= 2.2).
* **serve** and **cache** (:mod:`incremental`, ``--pages``): the live
  preview's latency from a save to the browser's reload (p95 of ten edits,
  at most 1 s at 1,500 pages and 2 s at 10,000) against plain ``mkdocs
  serve``; a second ``dossier build`` of an unchanged 20-dossier library
  against the first (at most 25 %); and **cores**, the same library built
  with its briefings typeset side by side against ``--jobs 1`` (no slower).
  Not in the default ``--only``.
* **pdf**: ``dossier pdf`` against Typst alone compiling the same generated
  source. Target: at most 1.2x. And against Typst typesetting plain
  justified text as long as the briefing's (:mod:`baselines`). Target: at
  least 80 pages per second and at most 2.5 MB of peak memory per page.

Each command runs ``--runs`` times (project and baseline interleaved); the
table shows the median and, in brackets, the fastest and slowest run, so the
spread says how noisy the machine was. Peak memory is the child's maximum
resident set size (``wait4``). Every subprocess runs under an address-space
limit (``--mem-limit-gb``) so that a runaway run fails instead of exhausting
the machine. Exit status 0 whatever the result, unless ``--strict``.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import itertools

from baselines import output_sizes, text_length
from synth import entity_count, make_dossier

TARGETS = {"check": 2.0, "site": 1.3, "growth": 2.2, "pdf": 1.2, "serve": 1.0, "cache": 0.25, "cores": 1.0}
FACTS_TARGET = 2.0
"""The site build against plain pages of the same facts."""
PDF_PAGES_PER_S, PDF_MB_PER_PAGE = 80.0, 2.5
"""The PDF's floor of speed and ceiling of memory."""
PDF_MEMORY_BYTES, PDF_MEMORY_ENTITIES = 8e9, 3600
"""The peak memory a briefing of that many entities (or more) may take: it must fit in 8 GB."""
DEFAULT_SIZES = "400,2000"
DEFAULT_GROWTH = "350,700,1400,2800,5600"
QUICK_SIZE = 100
PYTHON = sys.executable
COMPOSE_SCRIPT = (
    "import sys, pathlib, yaml\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')):\n"
    "    yaml.compose(p.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)\n"
)
TYPST_SCRIPT = ("import typst; typst.compile('main.typ', output='out.pdf', root='.', "
                "ignore_system_fonts=True)")
HELPER_SCRIPT = ("import sys; sys.path.insert(0, {bench!r}); import {module}; "
                 "{module}.{function}(sys.argv[1], sys.argv[2])")
HEADER = ("| figure | N | entities | project, s | baseline, s | ratio | target | result "
          "| peak RSS project / baseline | notes |")


# -- running one command ---------------------------------------------------------

@dataclass
class Sample:
    """One run of one command."""

    seconds: float
    """Wall-clock time."""
    rss_mb: float
    """Peak resident set size of the process (and its children), in MB."""
    status: int
    """Exit status (negative: killed by that signal)."""
    error: str = ""
    """The end of standard error, when the run failed."""
    cpu_seconds: float = 0.0
    """User and system CPU time of the process and its children (less sensitive than wall time to a loaded machine)."""


def dossier_command() -> list[str]:
    """The project's command line: the installed ``dossier`` script beside this Python, or ``-m generator``."""
    script = Path(PYTHON).with_name("dossier")
    return [str(script)] if script.exists() else [PYTHON, "-m", "generator"]


def child_env() -> dict[str, str]:
    """The environment of every measured command (Material's MkDocs 2.0 banner off)."""
    return dict(os.environ, NO_MKDOCS_2_WARNING="true", PYTHONDONTWRITEBYTECODE="1")


def compile_package() -> None:
    """Compile the project's modules to bytecode, as installing a package does.

    The measured commands run with ``PYTHONDONTWRITEBYTECODE=1`` (nothing is
    written into the tree while measuring). An editable install has no bytecode
    until a module is first imported with writing allowed, and a stale file is
    compiled again at every start: 0.1 s of ``dossier check``. PyYAML, the floor,
    was compiled when pip installed it.
    """
    compileall.compile_dir(str(BENCH.parent / "generator"), quiet=1)


def limit_memory(limit_bytes: int) -> None:
    """In the child, before exec: cap the address space so a runaway run fails alone."""
    resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))


def run_once(command: list[str], cwd: Path, limit_bytes: int) -> Sample:
    """Run *command* in *cwd*; its wall time, peak memory and status."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=child_env(), stdout=subprocess.DEVNULL, stderr=errors,
                                   preexec_fn=_Limiter(limit_bytes) if limit_bytes > 0 else None)  # noqa: PLW1509 - no threads run here
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        tail = errors.read().decode("utf-8", "replace").strip().splitlines()[-3:]
    error = " / ".join(tail) if process.returncode != 0 else ""
    return Sample(seconds, usage.ru_maxrss / 1024, process.returncode, error, usage.ru_utime + usage.ru_stime)


@dataclass
class _Limiter:
    """The ``preexec_fn`` that applies the memory limit in the child."""

    limit_bytes: int

    def __call__(self) -> None:
        limit_memory(self.limit_bytes)


def run_helper(function: str, source: Path, dest: Path, module: str = "run") -> None:
    """Run ``MODULE.FUNCTION(source, dest)`` in a fresh Python (untimed preparation)."""
    code = HELPER_SCRIPT.format(bench=str(BENCH), module=module, function=function)
    subprocess.run([PYTHON, "-c", code, str(source), str(dest)], check=True, env=child_env())


# -- several runs, and what they say --------------------------------------------

@dataclass
class Timing:
    """The runs of one command."""

    samples: list[Sample] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every run succeeded (and there was one)."""
        return bool(self.samples) and all(s.status == 0 for s in self.samples)

    @property
    def median(self) -> float:
        """Median wall time of the runs."""
        return statistics.median(s.seconds for s in self.samples)

    @property
    def spread(self) -> float:
        """(slowest - fastest) / median: how noisy the runs were."""
        times = [s.seconds for s in self.samples]
        return (max(times) - min(times)) / self.median if self.median else 0.0

    @property
    def cpu(self) -> float:
        """Median CPU time of the runs."""
        return statistics.median(s.cpu_seconds for s in self.samples)

    @property
    def rss_mb(self) -> float:
        """The highest peak memory of the runs."""
        return max(s.rss_mb for s in self.samples)

    def cell(self) -> str:
        """``12.3 [12.1–12.9]``, or why it failed."""
        if not self.samples:
            return "—"
        if not self.ok:
            failed = next(s for s in self.samples if s.status != 0)
            why = "out of memory" if "memory allocation" in failed.error or "MemoryError" in failed.error \
                else f"exit {failed.status}"
            return f"failed ({why}, {failed.seconds:.0f} s)"
        times = [s.seconds for s in self.samples]
        return f"{self.median:.2f} [{min(times):.2f}–{max(times):.2f}]"


@dataclass
class Command:
    """A command to measure: what it is called, its arguments, its folder, and per-run set-up."""

    name: str
    args: list[str]
    cwd: Path
    fresh: Path | None = None
    """A path removed before each run (the output), so every run starts alike."""


def measure(commands: list[Command], runs: int, limit_bytes: int) -> dict[str, Timing]:
    """Run each command *runs* times, interleaved; a command that fails is not run again."""
    timings = {c.name: Timing() for c in commands}
    for _ in range(runs):
        for command in commands:
            timing = timings[command.name]
            if timing.samples and not timing.ok:
                continue
            remove(command.fresh)
            timing.samples.append(run_once(command.args, command.cwd, limit_bytes))
            print(f"  {command.name}: {timing.samples[-1].seconds:.2f} s (CPU {timing.samples[-1].cpu_seconds:.2f} s), "
                  f"{timing.samples[-1].rss_mb:.0f} MB"
                  + (f" FAILED: {timing.samples[-1].error}" if timing.samples[-1].status else ""),
                  file=sys.stderr, flush=True)
    return timings


@dataclass
class Row:
    """One line of the results table."""

    figure: str
    n: int
    project: Timing
    baseline: Timing
    target: float
    notes: str = ""
    limits_ok: bool | None = None
    """Whether the figure's absolute limits hold (pages per second, memory per page), when it has some."""
    target_text: str = ""
    """The target as shown, when it is not a ratio."""

    @property
    def ratio(self) -> float | None:
        """Project median over baseline median, when both ran."""
        if not (self.project.ok and self.baseline.ok) or self.baseline.median == 0:
            return None
        return self.project.median / self.baseline.median

    @property
    def result(self) -> str:
        """PASS, MISS, or FAIL when a command did not run to the end."""
        if self.ratio is None:
            return "FAIL"
        return "PASS" if self.ratio <= self.target and self.limits_ok is not False else "MISS"

    def markdown(self) -> str:
        """The row as a Markdown table line."""
        ratio = f"{self.ratio:.2f}" if self.ratio is not None else "—"
        memory = " / ".join(f"{t.rss_mb:,.0f} MB" if t.samples else "—" for t in (self.project, self.baseline))
        cells = [self.figure, f"{self.n:,}", f"{entity_count(self.n):,}", self.project.cell(), self.baseline.cell(),
                 ratio, self.target_text or f"≤ {self.target:g}", f"**{self.result}**", memory, self.notes]
        return "| " + " | ".join(cells) + " |"


def remove(path: Path | None) -> None:
    """Delete a file or folder if it is there."""
    if path is None or not (path.exists() or path.is_symlink()):
        return
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


# -- preparing the inputs (not timed) ----------------------------------------------

def mkdocs_config(plugin: bool, nav: list | None = None) -> dict:
    """A minimal MkDocs configuration: Material without web fonts, search, the project's Markdown extensions."""
    config = {
        "site_name": "Banc d'essai",
        "docs_dir": "docs",
        "use_directory_urls": True,
        "theme": {"name": "material", "language": "fr", "font": False},
        "plugins": [{"search": {"lang": "fr"}}] + (["dossiers"] if plugin else []),
        "markdown_extensions": [{"toc": {"permalink": True}}, "attr_list", "admonition", "tables"],
    }
    if nav is not None:
        config["nav"] = nav
    return config


def write_config(folder: Path, config: dict) -> Path:
    """Write ``folder/mkdocs.yml`` (and an empty ``docs/`` if none); its path."""
    import yaml

    (folder / "docs").mkdir(parents=True, exist_ok=True)
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def site_config(folder: Path) -> Path:
    """The project's build configuration in *folder*: the ``dossiers`` plugin, no guide pages."""
    return write_config(folder, mkdocs_config(plugin=True))


def write_plain_site(dossier: str, dest: str) -> None:
    """The dossier's generated pages as plain Markdown in ``dest/docs``, with a plugin-free ``mkdocs.yml``."""
    from importlib import resources

    from generator.pipeline.stages import prepare, site_nav, site_pages

    linked, report = prepare(Path(dossier))
    if report.errors:
        raise SystemExit(f"{dossier}: the dossier has errors")
    folder = Path(dest)
    remove(folder)
    for page in site_pages(linked, pdf=False):
        path = folder / "docs" / page.src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.markdown, encoding="utf-8")
    css = resources.files("generator").joinpath("assets/dossier.css").read_bytes()
    (folder / "docs/assets/dossier").mkdir(parents=True, exist_ok=True)
    (folder / "docs/assets/dossier/dossier.css").write_bytes(css)
    config = mkdocs_config(plugin=False, nav=site_nav(linked))
    config["extra_css"] = ["assets/dossier/dossier.css"]
    write_config(folder, config)


def write_typst_sources(dossier: str, dest: str) -> None:
    """The Typst project ``dossier pdf`` compiles (``main.typ``, template, data, network) in *dest*."""
    from generator.pdf.briefing import dossier_sources
    from generator.pipeline.stages import prepare

    linked, report = prepare(Path(dossier))
    if report.errors or len(linked) != 1:
        raise SystemExit(f"{dossier}: not one dossier without errors")
    folder = Path(dest)
    remove(folder)
    folder.mkdir(parents=True)
    for name, content in dossier_sources(linked[0]).items():
        (folder / name).write_bytes(content)


def page_count(pdf: Path) -> int | None:
    """The number of pages of *pdf* (None without pypdf or without the file)."""
    try:
        import pypdf
    except ImportError:
        return None
    return len(pypdf.PdfReader(str(pdf)).pages) if pdf.exists() else None


# -- the four figures ----------------------------------------------------------------

@dataclass
class Bench:
    """Settings and shared state of one benchmark run."""

    work: Path
    runs: int
    limit_bytes: int
    dossiers: dict[int, Path] = field(default_factory=dict)
    builds: dict[int, Timing] = field(default_factory=dict)
    """Site build timings by size, shared by the site and growth figures."""

    def dossier(self, n: int) -> Path:
        """The synthetic dossier of size *n* (written on first use)."""
        if n not in self.dossiers:
            print(f"writing the synthetic dossier N = {n:,} …", file=sys.stderr, flush=True)
            self.dossiers[n] = make_dossier(n, self.work / "dossiers")
        return self.dossiers[n]


def check_row(bench: Bench, n: int) -> Row:
    """``dossier check`` against PyYAML's C loader composing the same files."""
    folder = bench.dossier(n)
    print(f"check, N = {n:,}", file=sys.stderr, flush=True)
    timings = measure([Command("dossier check", dossier_command() + ["check", str(folder)], bench.work),
                       Command("yaml.compose", [PYTHON, "-c", COMPOSE_SCRIPT, str(folder)], bench.work)],
                      bench.runs, bench.limit_bytes)
    return Row("check vs PyYAML C compose", n, timings["dossier check"], timings["yaml.compose"], TARGETS["check"])


def build_command(bench: Bench, n: int) -> Command:
    """``dossier build --no-pdf`` of the dossier of size *n* with a minimal configuration."""
    folder = bench.work / f"site-{n}"
    config = site_config(folder)
    args = dossier_command() + ["build", "-f", str(config), "--no-pdf", "--dossiers", str(bench.dossier(n)),
                                "--site-dir", str(folder / "site")]
    return Command("dossier build", args, folder, fresh=folder / "site")


def site_row(bench: Bench, n: int) -> list[Row]:
    """The site build against MkDocs + Material building the same pages, and the same facts as plain pages."""
    plain = bench.work / f"plain-{n}"
    run_helper("write_plain_site", bench.dossier(n), plain)
    baseline = Command("mkdocs build", [PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(plain / "mkdocs.yml"),
                                        "-d", str(plain / "site")], plain, fresh=plain / "site")
    print(f"site, N = {n:,}", file=sys.stderr, flush=True)
    facts = bench.work / f"facts-{n}"
    run_helper("write_facts_site", bench.dossier(n), facts, module="baselines")
    plain_facts = Command("plain facts", [PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(facts / "mkdocs.yml"),
                                          "-d", str(facts / "site")], facts, fresh=facts / "site")
    project = build_command(bench, n)
    timings = measure([project, baseline, plain_facts], bench.runs, bench.limit_bytes)
    bench.builds[n] = timings["dossier build"]
    sizes = {name: output_sizes(folder / "site") for name, folder in
             (("project", project.cwd), ("pages", plain), ("facts", facts))}
    rows = [Row("site vs MkDocs + Material", n, timings["dossier build"], timings["mkdocs build"], TARGETS["site"],
                _sizes_note(sizes["project"], sizes["pages"])),
            Row("site vs plain pages of the same facts", n, timings["dossier build"], timings["plain facts"],
                FACTS_TARGET, _sizes_note(sizes["project"], sizes["facts"]))]
    for row in rows:
        if row.ratio is not None:
            row.notes += f"; CPU {row.project.cpu:.1f} / {row.baseline.cpu:.1f} s"
    return rows


def _sizes_note(project: tuple[int, int], baseline: tuple[int, int]) -> str:
    """``output 67 / 33 MB, search index 10 / 4.8 MB``."""
    return f"output {project[0] / 1e6:.3g} / {baseline[0] / 1e6:.3g} MB, " \
        f"search index {project[1] / 1e6:.3g} / {baseline[1] / 1e6:.3g} MB"


def growth_rows(bench: Bench, sizes: list[int]) -> list[Row]:
    """The site build at each size; one row per step (N/2 to N), target 2.2x per doubling."""
    for n in sizes:
        if n not in bench.builds:
            print(f"growth, N = {n:,}", file=sys.stderr, flush=True)
            bench.builds[n] = measure([build_command(bench, n)], bench.runs, bench.limit_bytes)["dossier build"]
            remove(bench.work / f"site-{n}")
    rows = []
    for small, large in itertools.pairwise(sizes):
        target = TARGETS["growth"] * (large / small) / 2
        rows.append(Row(f"growth: build at N vs at {small:,}", large, bench.builds[large], bench.builds[small],
                        target, f"baseline column: the build at N = {small:,}"))
    return rows


def pdf_rows(bench: Bench, n: int) -> list[Row]:
    """``dossier pdf`` against Typst alone compiling the same source, and against Typst on plain text."""
    folder, typst_dir, plain_dir = (bench.work / f"{name}-{n}" for name in ("pdf", "typst", "plain-typst"))
    folder.mkdir(parents=True, exist_ok=True)
    run_helper("write_typst_sources", bench.dossier(n), typst_dir)
    run_helper("write_plain_typst", bench.dossier(n), plain_dir, module="baselines")
    output = folder / "briefing.pdf"
    project = Command("dossier pdf", dossier_command() + ["pdf", str(bench.dossier(n)), "-o", str(output)],
                      folder, fresh=output)
    baseline = Command("typst", [PYTHON, "-c", TYPST_SCRIPT], typst_dir, fresh=typst_dir / "out.pdf")
    plain = Command("plain typst", [PYTHON, "-c", TYPST_SCRIPT], plain_dir, fresh=plain_dir / "out.pdf")
    print(f"pdf, N = {n:,}", file=sys.stderr, flush=True)
    timings = measure([project, baseline, plain], bench.runs, bench.limit_bytes)
    row = Row("pdf vs Typst alone", n, timings["dossier pdf"], timings["typst"], TARGETS["pdf"])
    plain_row = Row("pdf vs Typst on plain text", n, timings["dossier pdf"], timings["plain typst"], float("inf"),
                    target_text=f"≥ {PDF_PAGES_PER_S:g} pages/s, ≤ {PDF_MB_PER_PAGE:g} MB/page")
    pages = page_count(output) if row.project.ok else None
    if pages:
        rate = f"{pages / row.project.median:.1f}"
        base = f"{pages / row.baseline.median:.1f}" if row.baseline.ok else "—"
        per_page = row.project.rss_mb / pages
        row.notes = (f"{pages:,} pages; {rate} pages/s (Typst alone {base}); {per_page:.2f} MB/page; "
                     f"{pages / row.project.cpu:.1f} pages per CPU second")
        if entity_count(n) >= PDF_MEMORY_ENTITIES:
            peak = row.project.rss_mb * 2**20
            fits = "within" if peak <= PDF_MEMORY_BYTES else "over"
            row.notes += f"; peak {peak / 1e9:.2f} GB: {fits} {PDF_MEMORY_BYTES / 1e9:g} GB"
        plain_row.limits_ok = pages / row.project.median >= PDF_PAGES_PER_S and per_page <= PDF_MB_PER_PAGE
        plain_pages = page_count(plain_dir / "out.pdf")
        plain_row.notes = (f"{pages:,} pages, {rate} pages/s, {per_page:.2f} MB/page; plain text: "
                           f"{text_length(plain_dir):,} characters, {plain_pages or 0:,} pages, "
                           f"{(plain_pages or 0) / plain_row.baseline.median:.1f} pages/s, "
                           f"{plain_row.baseline.rss_mb / max(plain_pages or 1, 1):.2f} MB/page"
                           if plain_row.baseline.ok else f"{pages:,} pages")
    elif not row.project.ok:
        row.notes = f"limit {bench.limit_bytes / 2**30:.0f} GB address space; " + row.project.samples[0].error[:80]
    return [row, plain_row]


# -- report ---------------------------------------------------------------------------

PACKAGES = ("dossier", "mkdocs", "mkdocs-material", "typst", "PyYAML", "Markdown", "pymdown-extensions", "pydantic")


def meminfo_total() -> int:
    """Total memory in bytes (``/proc/meminfo``), or 8 GiB when unknown."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 8 * 2**30


def cpu_model() -> str:
    """The processor's name from ``/proc/cpuinfo`` (or the platform's)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def version(package: str) -> str:
    """The installed version of *package*, or ``absent``."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def machine_lines() -> list[str]:
    """The machine the figures were measured on, as Markdown list items."""
    versions = ", ".join(f"{p} {version(p)}" for p in PACKAGES)
    return [
        f"- {os.cpu_count()} CPU ({cpu_model()}), {meminfo_total() / 2**30:.1f} GiB memory",
        f"- {platform.system()} {platform.release()}, Python {platform.python_version()}",
        f"- {versions}",
    ]


def report(rows: list[Row], bench: Bench, command: str) -> str:
    """The whole Markdown report: machine, table, noise, how to re-run."""
    lines = ["## Machine", "", *machine_lines(), "",
             f"## Results ({bench.runs} run{'s' if bench.runs != 1 else ''} each: median [fastest–slowest])", "",
             HEADER, "|" + "---|" * HEADER.count(" | ") + "---|"]
    lines += [row.markdown() for row in rows]
    spreads = [t.spread for row in rows for t in (row.project, row.baseline) if t.ok and len(t.samples) > 1]
    lines.append("")
    if spreads:
        lines.append(f"Noise: (slowest − fastest) / median is {statistics.median(spreads):.0%} typically "
                     f"and {max(spreads):.0%} at worst over all measurements.")
    lines += ["", f"Re-run: `{command}`"]
    return "\n".join(lines)


# -- command line ------------------------------------------------------------------

def parse_sizes(text: str) -> list[int]:
    """``400,2000`` -> [400, 2000]."""
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The options, with --quick's defaults applied."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=None, help=f"N for check, site and pdf (default {DEFAULT_SIZES}; --quick {QUICK_SIZE})")
    parser.add_argument("--growth", default=None, help=f"N for the growth figure (default {DEFAULT_GROWTH}; --quick: the first size and its double)")
    parser.add_argument("--runs", type=int, default=None, help="runs of each command (default 3; --quick 1)")
    parser.add_argument("--quick", action="store_true", help="one run, small sizes, growth over one doubling")
    parser.add_argument("--only", default="check,site,growth,pdf", help="figures to measure (default: %(default)s; "
                        "also serve, cache, cores)")
    parser.add_argument("--pages", default="1500,10000", help="pages of the serve and cache figures (default: %(default)s)")
    parser.add_argument("--work", default=None, help="working folder (default: a temporary one, removed after)")
    parser.add_argument("--mem-limit-gb", type=float, default=round(meminfo_total() * 0.85 / 2**30, 1),
                        help="address-space limit of each measured command (default: 85%% of memory, %(default)s)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed or a command fails")
    args = parser.parse_args(argv)
    args.sizes = parse_sizes(args.sizes or (str(QUICK_SIZE) if args.quick else DEFAULT_SIZES))
    args.runs = args.runs or (1 if args.quick else 3)
    args.growth = parse_sizes(args.growth) if args.growth else (
        [args.sizes[0], 2 * args.sizes[0]] if args.quick else parse_sizes(DEFAULT_GROWTH))
    args.only = {part.strip() for part in args.only.split(",")}
    args.pages = parse_sizes(args.pages)
    unknown = args.only - set(TARGETS)
    if unknown or min(args.sizes + args.growth) < 10:
        parser.error(f"unknown figure {sorted(unknown)}" if unknown else "sizes must be at least 10")
    return args


def measure_all(bench: Bench, args: argparse.Namespace) -> list[Row]:
    """Every figure asked for, in the table's order."""
    rows = []
    if "check" in args.only:
        rows += [check_row(bench, n) for n in args.sizes]
    if "site" in args.only:
        rows += [row for n in args.sizes for row in site_row(bench, n)]
    if "growth" in args.only:
        rows += growth_rows(bench, args.growth)
    if "pdf" in args.only:
        rows += [row for n in args.sizes for row in pdf_rows(bench, n)]
    if args.only & {"serve", "cache", "cores"}:
        import incremental  # the live preview and the build cache (benchmarks/incremental.py)

        if "serve" in args.only:
            rows += [incremental.serve_row(bench, pages) for pages in args.pages]
        if "cache" in args.only:
            rows += [incremental.cache_row(bench, pages) for pages in args.pages]
        if "cores" in args.only:
            rows += [incremental.cores_row(bench, pages) for pages in args.pages]
    return rows


def main(argv: list[str] | None = None) -> int:
    """Measure, print the Markdown report; exit 0 unless --strict and a row is not PASS."""
    args = parse_args(argv)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="dossier-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    bench = Bench(work.resolve(), args.runs, int(args.mem_limit_gb * 2**30))
    compile_package()
    command = "python benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    try:
        rows = measure_all(bench, args)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print(report(rows, bench, command.strip()))
    return 1 if args.strict and any(row.result != "PASS" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
