"""
End to end: ``trauma-incidents check`` over NDJSON, with validation and JSON output.

    python benchmarks/bench_end_to_end.py --n 100000 --big 1000000

Times the command in a child process (best of --repeat) with ``--format json`` and with
``--format ndjson`` (streamed), against parsing the same file with orjson alone (each line,
in this process, best of --repeat: the issue's "parse-only" peer), measures its peak memory
(RSS) for N and for --big incidents, and the speed-up of ``--jobs 2``. JSON output goes to
/dev/null, NDJSON to a file in a temporary folder, to count the findings per incident.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

from _results import add_option, save
from synthetic import generate, write

AT = "2026-05-01T09:00:00+01:00"


def make_file(n: int, seed: int, folder: Path) -> Path:
    """N synthetic incidents as NDJSON."""
    path = folder / f"incidents-{n}.ndjson"
    with path.open("wb") as f:
        write(generate(n, seed), f)
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


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=2)
    add_option(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small = make_file(args.n, args.seed, Path(tmp))
        found = Path(tmp) / "findings.ndjson"
        json_s = best(args.repeat, small, "--format", "json")
        ndjson_s = best(args.repeat, small, "--format", "ndjson", out=found)
        parse_s = parse_only(args.repeat, small)
        with found.open("rb") as f:
            findings = sum(1 for _ in f)
        size = small.stat().st_size / args.n
        print(
            f"check, {args.n:,} incidents ({size:.0f} bytes, {findings / args.n:.2f} findings each)"
        )
        print(f"  --format json    {json_s:7.2f}s  {args.n / json_s:10,.0f} incidents/s")
        print(f"  --format ndjson  {ndjson_s:7.2f}s  {args.n / ndjson_s:10,.0f} incidents/s")
        print(f"  orjson parse-only {parse_s:7.2f}s  {args.n / parse_s:10,.0f} incidents/s")
        print(f"  --format ndjson over parse-only: {ndjson_s / parse_s:.1f}x")
        big = make_file(args.big, args.seed, Path(tmp))
        one, rss_one = check(big, "--format", "ndjson")
        two, _ = check(big, "--format", "ndjson", "--jobs", "2")
        _, rss_small = check(small, "--format", "ndjson")
        print(f"check --format ndjson, {args.big:,} incidents")
        print(f"  --jobs 1  {one:7.2f}s   --jobs 2  {two:7.2f}s   speed-up {one / two:.2f}x")
        print("peak RSS of check --format ndjson (streams)")
        print(f"  {args.n:>10,} incidents  {rss_small / 1024:7.1f} MiB")
        print(
            f"  {args.big:>10,} incidents  {rss_one / 1024:7.1f} MiB  ({rss_one / rss_small:.2f}x)"
        )
    save(
        args.json,
        {
            "n": args.n,
            "big": args.big,
            "bytes_per_record": size,
            "findings_per_incident": findings / args.n,
            "json_rate": args.n / json_s,
            "ndjson_rate": args.n / ndjson_s,
            "parse_rate": args.n / parse_s,
            "ndjson_over_parse": ndjson_s / parse_s,
            "jobs1_seconds": one,
            "jobs2_seconds": two,
            "jobs_speedup": one / two,
            "rss_small_mib": rss_small / 1024,
            "rss_big_mib": rss_one / 1024,
        },
    )


if __name__ == "__main__":
    main()
