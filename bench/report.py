#!/usr/bin/env python3
"""Turns bench/run.sh's samples into its results table (summary.md).

    bench/report.py OUT_DIR [--n N] [--status-n M] [--gen-compare JSORM]

Reads OUT_DIR/samples.tsv (one line per run: label, rep, wall_ms, maxrss_kb, user_s, sys_s,
load1) and OUT_DIR/machine.txt, and prints the summary in Markdown. Repetition 0 is a
warm-up and is left out. Needs only python3 (apt-get install -y python3).

Wall times are reported as median (min-max). The ratio of a pair is the median of the
per-repetition ratios jsorm/baseline (min-max): each pair ran back to back, alternating
which went first, so load that drifts on a shared machine cancels within a pair.
"""

import argparse
import csv
import statistics
from pathlib import Path

# The targets of the current round (issue 20), as limits on the paired ratio unless noted.
RATIO_TARGETS = {
    "pg_migrate": 1.0,
    "pg_rollback": 1.0,
    "pg_status": 1.2,
    "pg_status_big": 1.5,
    "sqlite_migrate": 0.95,
    "mariadb_migrate": 1.05,
    "mariadb_rollback": 1.05,
    "mariadb_status": 1.05,
}
VERSION_MS = 10
MIGRATE_RSS_MB = 11
COMPILE_S = 20
COMPILE_RSS_GB = 1
GENERATE_SIZE = 2000
GENERATE_MS = 200
GENERATE_MB = 40


class Samples:
    def __init__(self, path):
        self.rows = []
        with open(path, newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                if int(row["rep"]) >= 1:
                    self.rows.append(row)

    def of(self, label):
        return [r for r in self.rows if r["label"] == label]

    def stats(self, label):
        rows = self.of(label)
        if not rows:
            return None
        wall = [float(r["wall_ms"]) for r in rows]
        rss = [int(r["maxrss_kb"]) for r in rows if r["maxrss_kb"]]
        cpu = [float(r["user_s"]) + float(r["sys_s"]) for r in rows if r["user_s"]]
        load = [float(r["load1"]) for r in rows]
        return {
            "median": statistics.median(wall),
            "min": min(wall),
            "max": max(wall),
            "rss_kb": max(rss) if rss else None,
            "rss_median_kb": statistics.median(rss) if rss else None,
            "cpu": statistics.median(cpu) if cpu else None,
            "count": len(rows),
            "load": (min(load), statistics.mean(load), max(load)),
        }

    def paired(self, a, b):
        x = {r["rep"]: float(r["wall_ms"]) for r in self.of(a)}
        y = {r["rep"]: float(r["wall_ms"]) for r in self.of(b)}
        ratios = [x[k] / y[k] for k in x if k in y and y[k] > 0]
        if not ratios:
            return None
        return statistics.median(ratios), min(ratios), max(ratios)


def ms(v):
    return f"{v / 1000:.2f} s" if v >= 1000 else f"{v:.1f} ms"


def mb(kb):
    return "-" if kb is None else f"{kb / 1024:.1f} MB"


def spread(s):
    return f"{ms(s['median'])} ({ms(s['min'])}–{ms(s['max'])})"


def load(*stats):
    values = [v for s in stats if s for v in s["load"]]
    return f"{statistics.mean(values):.2f} ({min(values):.2f}–{max(values):.2f})" if values else "-"


def verdict(ok):
    return "met" if ok else "**not met**"


def side(name, s):
    text = f"{name}{spread(s)}"
    if s["cpu"] is not None:
        text += f", CPU {s['cpu']:.2f} s"
    if s["rss_kb"] is not None:
        text += f", RSS {mb(s['rss_kb'])}"
    return text


def rows(samples, args, out):
    n, big = args.n, args.status_n
    pairs = [
        ("pg_migrate", f"PG migrate {n}", "pg_migrate_jsorm", "pg_migrate_psql", "psql -f: "),
        ("pg_rollback", f"PG rollback all {n}", "pg_rollback_jsorm", "pg_rollback_psql", "psql -f: "),
        ("pg_status", f"PG status, {n} applied", "pg_status_jsorm", "pg_status_psql", "psql -c query: "),
        ("pg_status_big", f"PG status, {big} applied", "pg_status_big_jsorm", "pg_status_big_psql", "psql -c query: "),
        ("pg_status_floor", f"PG status, {n} applied", "pg_status_jsorm_f", "pg_status_floor",
         "libpq program, status's 2 statements: "),
        ("pg_status_big_floor", f"PG status, {big} applied", "pg_status_big_jsorm_f", "pg_status_big_floor",
         "libpq program, status's 2 statements: "),
        ("sqlite_migrate", f"SQLite file migrate {n}", "sqlite_migrate_jsorm", "sqlite_migrate_sqlite3", "sqlite3 <: "),
        ("mariadb_migrate", f"MariaDB migrate {n}", "mariadb_migrate_jsorm", "mariadb_migrate_client", "mariadb <: "),
        ("mariadb_rollback", f"MariaDB rollback all {n}", "mariadb_rollback_jsorm", "mariadb_rollback_client",
         "mariadb <: "),
        ("mariadb_status", f"MariaDB status, {n} applied", "mariadb_status_jsorm", "mariadb_status_client",
         "mariadb <: "),
    ]
    for key, title, a, b, base in pairs:
        sa, sb, p = samples.stats(a), samples.stats(b), samples.paired(a, b)
        if not sa or not sb or not p:
            continue
        limit = RATIO_TARGETS.get(key)  # none: a second lower bound, reported only
        yield (title, side("", sa), side(base, sb), f"**{p[0]:.3f}×** ({p[1]:.3f}–{p[2]:.3f})",
               f"≤ {limit}×" if limit else "–", verdict(p[0] <= limit) if limit else "–", load(sa, sb))
        if key == "pg_migrate" and sa["rss_kb"] and sb["rss_kb"]:
            yield (f"peak RSS, PG migrate {n}", f"{mb(sa['rss_kb'])} (max of {sa['count']})",
                   f"psql: {mb(sb['rss_kb'])}", f"{sa['rss_kb'] / sb['rss_kb']:.2f}×", f"≤ {MIGRATE_RSS_MB} MB",
                   verdict(sa["rss_kb"] / 1024 <= MIGRATE_RSS_MB), load(sa))

    sa, sb, p = samples.stats("version_jsorm"), samples.stats("version_psql"), samples.paired("version_jsorm",
                                                                                            "version_psql")
    if sa and sb and p:
        yield ("jsorm --version", spread(sa), f"psql --version: {spread(sb)}", f"{p[0]:.3f}×", f"≤ {VERSION_MS} ms",
               verdict(sa["median"] <= VERSION_MS), load(sa, sb))

    for label in ("default", "O2"):
        s = samples.stats(f"compile_{label}")
        if not s:
            continue
        what = "-O2"
        if label == "default":
            line = (out / "compile_command_default.txt").read_text() if (out / "compile_command_default.txt").exists() else ""
            level = next((w for w in line.split() if w.startswith("-O")), "?")
            what = f"as jsorm_add_schema_module builds it ({level})"
        yield (f"compile {n}-migration module, {what}", f"{spread(s)}, CPU {s['cpu']:.1f} s, RSS {mb(s['rss_kb'])}",
               "–", "–", f"≤ {COMPILE_S} s, ≤ {COMPILE_RSS_GB} GB",
               f"time {verdict(s['median'] <= COMPILE_S * 1000)}, RSS {verdict(s['rss_kb'] <= COMPILE_RSS_GB * 1048576)}",
               load(s))

    sizes = sorted({int(r["label"].split("_")[1]) for r in samples.rows
                    if r["label"].startswith("generate_") and r["label"].split("_")[1].isdigit()})
    first = None
    for size in sizes:
        s = samples.stats(f"generate_{size}")
        if not s:
            continue
        first = first or (size, s["median"])
        base = "–"
        c = samples.stats(f"generate_{size}_compare")
        if c:
            base = f"--gen-compare build: {spread(c)}, CPU {c['cpu']:.2f} s, RSS {mb(c['rss_kb'])}"
        if size == GENERATE_SIZE:
            target = f"≤ {GENERATE_MS} ms, ≤ {GENERATE_MB} MB"
            result = (f"time {verdict(s['median'] <= GENERATE_MS)}, "
                      f"RSS {verdict(s['rss_kb'] / 1024 <= GENERATE_MB)}")
        else:
            target = "linear growth"
            result = f"{s['median'] / first[1]:.2f}× the time for {size / first[0]:.2f}× the models"
        yield (f"migrate:generate, {size} models × {args.gen_cols} columns, {size // 10} new columns ({s['count']} runs)",
               f"{spread(s)}, CPU {s['cpu']:.2f} s, RSS {mb(s['rss_kb'])}", base,
               f"{s['median'] * 1000 / size:.1f} µs/model", target, result, load(s))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--status-n", type=int, default=10000)
    parser.add_argument("--gen-cols", type=int, default=20)
    parser.add_argument("--gen-compare", default="")
    args = parser.parse_args()
    samples = Samples(args.out / "samples.tsv")

    machine = (args.out / "machine.txt").read_text()
    started = next((line[6:] for line in machine.splitlines() if line.startswith("date: ")), "?")
    print(f"# Results of bench/run.sh ({started})")
    print()
    print("Wall time: median (min–max) of the repetitions. Ratio: median (min–max) of the per-repetition ratios")
    print("jsorm/baseline, each pair run back to back in alternating order. Load: load1 sampled after each run,")
    print("mean (min–max).")
    print()
    print("| measurement | jsorm | lower bound | ratio | target | result | load1 |")
    print("|---|---|---|---|---|---|---|")
    for row in rows(samples, args, args.out):
        print("| " + " | ".join(row) + " |")
    if args.gen_compare:
        print(f"| (--gen-compare: {args.gen_compare}) | | | | | | |")
    print()
    print("Other figures:")
    for label in ("pg_status_jsorm_rss", "pg_status_jsorm_nocache", "pg_status_big_jsorm_rss",
                  "pg_status_big_jsorm_nocache", "mariadb_status_jsorm_rss", "version_jsorm_rss", "link"):
        s = samples.stats(label)
        if s:
            print(f"- {label}: {ms(s['median'])}, peak RSS {mb(s['rss_kb'])}, CPU {s['cpu']:.3f} s")
    hyperfine = args.out / "hyperfine_version.md"
    if hyperfine.exists():
        print()
        print("hyperfine (-N, 100 runs each):")
        print()
        print(hyperfine.read_text().rstrip())
    print()
    print("```")
    print(machine.rstrip())
    print("```")


if __name__ == "__main__":
    main()
