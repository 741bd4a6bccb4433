"""
Run every benchmark, then summarise the targets of issue 20: ``python benchmarks/run.py``.

The full run is what docs/performance.md reports (100,000 incidents; 1,000,000 for memory
and --jobs). ``--quick`` runs each on a few thousand incidents, so CI keeps the scripts
working without timing anything (its met/missed say nothing at that size).

Each script prints its own table as it goes and writes its figures as JSON (its ``--json``
option); at the end this prints one summary: the command, the machine (processor, cores,
memory, Python and how it was built, date, load average), each measure with its target and
whether it was met, and the peers measured in the same run (orjson parse-only, the
hand-written baseline, durable_rules through the backend when installed). ``--markdown``
prints the summary as Markdown tables for docs/performance.md; ``--json FILE`` writes the
machine and every script's figures to FILE.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shlex
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

from _results import Figures

HERE = Path(__file__).resolve().parent

FULL = {
    "bench_loading.py": ["--n", "100000", "--repeat", "3"],
    "bench_evaluate.py": ["--n", "100000", "--repeat", "3"],
    "bench_end_to_end.py": ["--n", "100000", "--big", "1000000", "--repeat", "2"],
    "bench_backends.py": ["--n", "10000", "100000"],
    "bench_isolation.py": ["--n", "10000", "--repeat", "3"],
    "bench_monitor.py": ["--n", "10000", "20000", "100000"],
    "bench_startup.py": ["--repeat", "20"],
    "bench_cpu.py": ["--n", "100000"],
}
QUICK = {
    "bench_loading.py": ["--n", "2000", "--repeat", "1"],
    "bench_evaluate.py": ["--n", "2000", "--repeat", "1"],
    "bench_end_to_end.py": ["--n", "2000", "--big", "4000", "--repeat", "1"],
    "bench_backends.py": ["--n", "2000"],
    "bench_isolation.py": ["--n", "1000", "--repeat", "1"],
    "bench_monitor.py": ["--n", "2000"],
    "bench_startup.py": ["--repeat", "1"],
    "bench_cpu.py": ["--n", "2000", "--repeat", "1"],
}
#: The scripts that write figures for the summary (the others print their tables only).
SUMMARISED = {
    "bench_loading.py",
    "bench_evaluate.py",
    "bench_end_to_end.py",
    "bench_backends.py",
    "bench_startup.py",
    "bench_cpu.py",
}
#: Scripts that need durable_rules.
DURABLE = {"bench_backends.py", "bench_isolation.py"}

Results = dict[str, Figures]


class Target(NamedTuple):
    """One row of the issue's table: what, its target, where from, and how it is judged."""

    measure: str
    target: str
    script: str
    judge: Callable[[Figures], tuple[str, bool]]


def _rate(figure: float) -> str:
    return f"{figure:,.0f}/s"


def _data(f: Figures, data: str) -> str:
    """The bytes per record and findings per incident of one of bench_end_to_end's data sets."""
    size, findings = f[f"{data}.bytes_per_record"], f[f"{data}.findings_per_incident"]
    return f"{size:.0f} B and {findings:.2f} findings per incident"


def _end_to_end(f: Figures) -> tuple[str, bool]:
    rate, over = f["heavy.ndjson_rate"], f["heavy.ndjson_over_parse"]
    parse = _rate(f["heavy.parse_rate"])
    text = f"{_rate(rate)}; {over:.1f}x parse-only ({parse}); {_data(f, 'heavy')}"
    return text, rate >= 50_000 and over <= 10  # noqa: PLR2004


def _memory(f: Figures) -> tuple[str, bool]:
    change = f["rss_big_mib"] / f["rss_small_mib"] - 1
    text = f"{change:+.1%} ({f['rss_small_mib']:.1f} / {f['rss_big_mib']:.1f} MiB)"
    return text, change <= 0.1 and f["rss_big_mib"] < 200  # noqa: PLR2004


TARGETS = (
    Target(
        "`read_incidents`, NDJSON, synthetic data",
        ">= 100,000/s",
        "bench_loading.py",
        lambda f: (_rate(f["read_incidents_rate"]), f["read_incidents_rate"] >= 100_000),  # noqa: PLR2004
    ),
    Target(
        "all default rules, first evaluation of freshly loaded incidents",
        ">= 100,000/s",
        "bench_evaluate.py",
        lambda f: (_rate(f["first_rate"]), f["first_rate"] >= 100_000),  # noqa: PLR2004
    ),
    Target(
        "all default rules, re-evaluation of held incidents",
        ">= 150,000/s",
        "bench_evaluate.py",
        lambda f: (_rate(f["again_rate"]), f["again_rate"] >= 150_000),  # noqa: PLR2004
    ),
    Target(
        "three rules (DB001, DB002, SG001) against `baseline.py`",
        "<= 1.5x",
        "bench_evaluate.py",
        lambda f: (f"{f['overhead']:.2f}x", f["overhead"] <= 1.5),  # noqa: PLR2004
    ),
    Target(
        "`check --format ndjson` end to end, finding-heavy data (~2.7 findings, ~1 KB each)",
        ">= 50,000/s; <= 10x parse-only, same file",
        "bench_end_to_end.py",
        _end_to_end,
    ),
    Target(
        "`--jobs 2` against `--jobs 1`, lean data",
        ">= 1.85x",
        "bench_end_to_end.py",
        lambda f: (
            f"{f['jobs_speedup']:.2f}x ({f['jobs1_seconds']:.1f} s / {f['jobs2_seconds']:.1f} s)",
            f["jobs_speedup"] >= 1.85,  # noqa: PLR2004
        ),
    ),
    Target(
        "process startup (`check` on one incident, median wall)",
        "<= 0.12 s",
        "bench_startup.py",
        lambda f: (f"{f['wall']:.3f} s (CPU {f['cpu']:.3f} s)", f["wall"] <= 0.12),  # noqa: PLR2004
    ),
    Target(
        "peak RSS of `check --format ndjson`, --big against --n incidents, lean data",
        "unchanged: within 10%, under 200 MiB",
        "bench_end_to_end.py",
        _memory,
    ),
)


def peers(results: Results) -> list[tuple[str, str]]:
    """The peers measured in this run, with the library's own figure beside each."""
    rows: list[tuple[str, str]] = []
    loading = results.get("bench_loading.py")
    if loading:
        rows += [
            ("orjson parse-only (each line)", _rate(loading["orjson_rate"])),
            ("orjson + cattrs structuring (detailed)", _rate(loading["structure_rate"])),
            ("`read_incidents`", _rate(loading["read_incidents_rate"])),
        ]
    end = results.get("bench_end_to_end.py")
    if end:
        for data, what in (("heavy", "finding-heavy data"), ("lean", "lean data")):
            about = f"{what} ({_data(end, data)})"
            rows += [
                (
                    f"orjson parse-only of the `check` input file, {about}",
                    _rate(end[f"{data}.parse_rate"]),
                ),
                (
                    f"`check --format ndjson`, {what}, the same file",
                    _rate(end[f"{data}.ndjson_rate"]),
                ),
                (
                    f"`check --format ndjson` over parse-only, {what}",
                    f"{end[f'{data}.ndjson_over_parse']:.1f}x",
                ),
                (f"`check --format json`, {what}, the same file", _rate(end[f"{data}.json_rate"])),
            ]
    evaluation = results.get("bench_evaluate.py")
    if evaluation:
        rows += [
            (
                "DB001, DB002, SG001 hand-written (`baseline.py`)",
                _rate(evaluation["baseline_rate"]),
            ),
            ("DB001, DB002, SG001, python backend (engine)", _rate(evaluation["three_rate"])),
        ]
    backends = results.get("bench_backends.py")
    if backends is None:
        rows.append(("durable_rules backend", "not installed"))
        return rows
    n = max(int(k.split(".")[2]) for k in backends)
    for rules, what in (("all", "all default rules"), ("three", "DB001, DB002, SG001")):
        for backend in ("python", "durable"):
            key = f"{backend}.{rules}.{n}.rate"
            if key in backends:
                label = f"{what}, {backend} backend, {n:,} held incidents"
                rows.append((label, _rate(backends[key])))
    return rows


def machine() -> dict[str, str]:
    """The processor, cores, memory, Python and its build, date and load average."""
    cpuinfo, meminfo = Path("/proc/cpuinfo"), Path("/proc/meminfo")
    model = platform.processor() or platform.machine()
    if cpuinfo.exists():
        names = [line for line in cpuinfo.read_text().splitlines() if line.startswith("model name")]
        model = names[0].split(":", 1)[1].strip() if names else model
    memory = "unknown"
    if meminfo.exists():
        total = next(line for line in meminfo.read_text().splitlines() if line.startswith("Mem"))
        memory = f"{int(total.split()[1]) / 1024**2:.1f} GiB"
    configured = str(sysconfig.get_config_var("CONFIG_ARGS") or "")
    built = [flag for flag in ("--enable-optimizations", "--with-lto") if flag in configured]
    build = ", ".join(platform.python_build())
    return {
        "processor": model,
        "cores": f"{os.cpu_count()} logical",
        "memory": memory,
        "system": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "build": f"{build}; {platform.python_compiler()}; {' '.join(built) or 'no PGO or LTO'}",
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def summary(
    results: Results, about: dict[str, str], scripts: dict[str, list[str]], *, markdown: bool
) -> list[str]:
    """The summary's lines: command and machine, targets, peers."""
    lines = [f"{'- ' if markdown else ''}{name}: {value}" for name, value in about.items()]
    rows = []
    for target in TARGETS:
        figures = results.get(target.script)
        figure, met = target.judge(figures) if figures else ("not run", None)
        judged = {True: "met", False: "MISSED", None: "-"}[met]
        command = shlex.join([target.script, *scripts[target.script]])
        rows.append((target.measure, target.target, figure, judged, command))
    if markdown:
        lines += [
            "",
            "| Measure | Target | Figure | | Command |",
            "| --- | --- | ---: | --- | --- |",
        ]
        lines += [f"| {m} | {t} | {f} | {j} | `{c}` |" for m, t, f, j, c in rows]
        lines += ["", "| Peer, same run | Figure |", "| --- | ---: |"]
        lines += [f"| {name} | {figure} |" for name, figure in peers(results)]
        return lines
    lines.append("")
    lines += [f"  {j:<6} {m}: {f} (target {t}) [{c}]" for m, t, f, j, c in rows]
    lines += ["", "peers, same run:"]
    lines += [f"  {name}: {figure}" for name, figure in peers(results)]
    return lines


def main() -> int:
    """Run the scripts in turn (stop at the first that fails), then print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a few thousand incidents each")
    parser.add_argument("--markdown", action="store_true", help="the summary as Markdown")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every figure here")
    args = parser.parse_args()
    scripts = QUICK if args.quick else FULL
    about = {
        "command": shlex.join(["python", "benchmarks/run.py", *sys.argv[1:]]),
        "interpreter": sys.executable,
    }
    about |= machine()
    about["load average at start"] = _load()
    results: Results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for script, options in scripts.items():
            if script in DURABLE and importlib.util.find_spec("durable") is None:
                print(f"\n== {script}: skipped (durable_rules is not installed)", flush=True)
                continue
            print(f"\n== {script} {' '.join(options)}", flush=True)
            out = Path(tmp) / f"{script}.json"
            saving = ["--json", str(out)] if script in SUMMARISED else []
            argv = [sys.executable, str(HERE / script), *options, *saving]
            subprocess.run(argv, check=True, cwd=HERE)  # noqa: S603
            if saving:
                results[script] = json.loads(out.read_text(encoding="utf-8"))
    about["load average at end"] = _load()
    small = " (--quick: too few incidents for met/missed to mean anything)" if args.quick else ""
    print(f"\n== summary{small}")
    print("\n".join(summary(results, about, scripts, markdown=args.markdown)))
    if args.json is not None:
        document = {"machine": about, "results": results}
        args.json.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
