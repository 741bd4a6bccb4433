"""
End to end: ``trauma-incidents check`` over NDJSON, with validation and JSON output.

    python benchmarks/bench_end_to_end.py --n 100000 --big 1000000

Times the command in a child process (best of --repeat) with ``--format json`` and with
``--format ndjson`` (streamed), against parsing the same file with orjson alone (each line,
in this process, best of --repeat: the issue's "parse-only" peer), on two data sets of N
incidents each:

- finding-heavy (``_heavy.py``): about 2.7 findings per incident and 1 KB per record, the
  data issue 20's end-to-end target names;
- lean (``synthetic.py``, `trauma_incidents.testing.synthetic_incidents`): about 0.4
  findings per incident and 820 bytes per record, the data of the other benchmarks.

Each is printed with its bytes per record and findings per incident. Then, on lean data,
it measures the command's peak memory (RSS) for N and for --big incidents, and the speed-up
of ``--jobs 2``. JSON output goes to /dev/null, NDJSON to a file in a temporary folder, to
count the findings per incident.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson

from _heavy import AT, heavy_incidents
from _results import Figures, add_option, save
from synthetic import generate, write
from trauma_incidents.model import Incident

#: The data sets: name, what to print, and the generator of N incidents from a seed.
DATA: tuple[tuple[str, str, Callable[[int, int], Iterator[Incident]]], ...] = (
    ("heavy", "finding-heavy data (_heavy.py)", heavy_incidents),
    ("lean", "lean data (synthetic.py)", generate),
)


def make_file(
    name: str, make: Callable[[int, int], Iterator[Incident]], n: int, seed: int, folder: Path
) -> Path:
    """N incidents from *make* as NDJSON."""
    path = folder / f"{name}-{n}.ndjson"
    with path.open("wb") as f:
        write(make(n, seed), f)
    return path


#: Runs ``check`` in this child process and prints its own peak RSS (KiB) to stderr last.
_CHILD = (
    "import resource, sys\n"
    "from trauma_incidents.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "raise SystemExit(code)\n"
)


def check(path: Path, *options: str, out: Path | None = None) -> tuple[float, int]:
    """Run check once in a fresh process: (seconds, that process's peak RSS in KiB)."""
    argv = [sys.executable, "-c", _CHILD, "check", str(path), "--at", AT]
    argv += ["--fail-on", "never", *options]
    with Path(out or os.devnull).open("wb") as stdout:
        start = time.perf_counter()
        done = subprocess.run(argv, stdout=stdout, stderr=subprocess.PIPE, check=True)  # noqa: S603
        seconds = time.perf_counter() - start
    return seconds, int(done.stderr.split()[-1])


def best(repeat: int, path: Path, *options: str, out: Path | None = None) -> float:
    """The fastest of *repeat* runs."""
    return min(check(path, *options, out=out)[0] for _ in range(repeat))


def parse_only(repeat: int, path: Path) -> float:
    """The fastest of *repeat* parses of each line of *path* with orjson alone, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with path.open("rb") as f:
            for line in f:
                orjson.loads(line)
        times.append(time.perf_counter() - start)
    return min(times)


def measure(name: str, what: str, path: Path, n: int, repeat: int) -> Figures:
    """Time check (JSON, NDJSON) and orjson parse-only over *path*; print and return the figures."""
    found = path.with_suffix(".findings")
    json_s = best(repeat, path, "--format", "json")
    ndjson_s = best(repeat, path, "--format", "ndjson", out=found)
    parse_s = parse_only(repeat, path)
    with found.open("rb") as f:
        findings = sum(1 for _ in f)
    size = path.stat().st_size / n
    print(
        f"check, {n:,} incidents of {what}: {size:.0f} bytes per record, "
        f"{findings / n:.2f} findings per incident"
    )
    print(f"  --format json    {json_s:7.2f}s  {n / json_s:10,.0f} incidents/s")
    print(f"  --format ndjson  {ndjson_s:7.2f}s  {n / ndjson_s:10,.0f} incidents/s")
    print(f"  orjson parse-only {parse_s:7.2f}s  {n / parse_s:10,.0f} incidents/s")
    print(f"  --format ndjson over parse-only: {ndjson_s / parse_s:.1f}x")
    figures = {
        "bytes_per_record": size,
        "findings_per_incident": findings / n,
        "json_rate": n / json_s,
        "ndjson_rate": n / ndjson_s,
        "parse_rate": n / parse_s,
        "ndjson_over_parse": ndjson_s / parse_s,
    }
    return {f"{name}.{key}": value for key, value in figures.items()}


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=2)
    add_option(parser)
    args = parser.parse_args()
    figures: Figures = {"n": args.n, "big": args.big}
    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for name, what, make in DATA:
            files[name] = make_file(name, make, args.n, args.seed, Path(tmp))
            figures |= measure(name, what, files[name], args.n, args.repeat)
        small = files["lean"]
        big = make_file("lean", generate, args.big, args.seed, Path(tmp))
        one, rss_one = check(big, "--format", "ndjson")
        two, _ = check(big, "--format", "ndjson", "--jobs", "2")
        _, rss_small = check(small, "--format", "ndjson")
        print(f"check --format ndjson, {args.big:,} incidents of lean data")
        print(f"  --jobs 1  {one:7.2f}s   --jobs 2  {two:7.2f}s   speed-up {one / two:.2f}x")
        print("peak RSS of check --format ndjson (streams), lean data")
        print(f"  {args.n:>10,} incidents  {rss_small / 1024:7.1f} MiB")
        print(
            f"  {args.big:>10,} incidents  {rss_one / 1024:7.1f} MiB  ({rss_one / rss_small:.2f}x)"
        )
    figures |= {
        "jobs1_seconds": one,
        "jobs2_seconds": two,
        "jobs_speedup": one / two,
        "rss_small_mib": rss_small / 1024,
        "rss_big_mib": rss_one / 1024,
    }
    save(args.json, figures)


if __name__ == "__main__":
    main()
