#!/usr/bin/env python3
"""Times mtaudit, Harper (tools/harper-bench) and typos on the corpus of corpus.py and
prints words per second, peak memory and start-up time for each, and the ratios.

Every tool's words per second divides the same word count (whitespace-separated words of
the files, from the manifest) by its wall time, start-up included; the CPU time (user +
system) beside it shows how much of a slow wall time was other work on the machine. Peak memory is the
maximum resident set size of the process, as /usr/bin/time reports it. Harper runs on the
sample (every k-th original file) only, because at a few thousand words per second it
would take most of an hour over the corpus; mtaudit runs on that sample too, so that the
mtaudit/Harper ratio compares the same files.

Usage: measure.py --mtaudit BIN --harper BIN --typos BIN --runs N DATA WORK
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

CORES = os.cpu_count()


class Tool:
    """How to run one tool: its command line for some paths and threads, the exit codes
    that mean it ran to the end, and how to count its findings from its output."""

    def __init__(self, name, command, threads_env, ok_codes, count):
        self.name, self.command, self.threads_env = name, command, threads_env
        self.ok_codes, self.count = ok_codes, count

    def run(self, paths, threads, output, peak=True):
        """Wall seconds, peak RSS in MB and CPU seconds (user + system; both None unless
        peak) of one run, its stdout written to output. They come from /usr/bin/time: the
        rusage of a child of this script would count this script's own size as well."""
        env = dict(os.environ)
        env.pop("RAYON_NUM_THREADS", None)
        if self.threads_env:
            env[self.threads_env] = str(threads)
        command = self.command(paths, threads)
        if peak:
            command = ["/usr/bin/time", "-f", "%M %U %S", "-o", output + ".rss"] + command
        with open(output, "wb") as out:
            start = time.perf_counter()
            done = subprocess.run(command, env=env, stdout=out, stderr=subprocess.PIPE)
            wall = time.perf_counter() - start
        if done.returncode not in self.ok_codes:
            sys.exit(f"{self.name} exited with {done.returncode}: "
                     f"{done.stderr.decode(errors='replace')[-2000:]}")
        if not peak:
            return wall, None, None
        with open(output + ".rss") as f:
            rss, user, system = f.read().split()[-3:]  # after any "exited with" line
        return wall, int(rss) / 1024, float(user) + float(system)


def mtaudit_findings(output):
    """The summary's count, read from the end of the report: a --thorough report of the
    corpus has every sentence in it and runs to hundreds of MB."""
    with open(output, "rb") as f:
        f.seek(max(0, os.path.getsize(output) - 4096))
        tail = f.read().decode("utf-8", errors="replace")
    summary = re.search(r'"summary":\s*(\{[^{}]*\})', tail)
    if not summary:
        sys.exit(f"no summary at the end of mtaudit's report {output}")
    return json.loads(summary.group(1))["findings"]


def typos_findings(output):
    with open(output, "rb") as f:
        return sum(1 for _ in f)


def harper_findings(output):
    with open(output) as f:
        fields = f.read().split()
    return int(fields[fields.index("lints") + 1])


def tools(args):
    return {
        # Every check on: all rules are enabled by default (bench.sh verifies it with
        # `mtaudit config`), --thorough reports the low-confidence findings too and
        # --report-unused-suppressions adds the one check that is off by default.
        "mtaudit": Tool(
            "mtaudit",
            lambda paths, threads: [args.mtaudit, "check", "--thorough",
                                    "--report-unused-suppressions", "--format", "json",
                                    *paths],
            "RAYON_NUM_THREADS", (0, 1), mtaudit_findings),
        "Harper": Tool(
            "Harper",
            lambda paths, threads: [args.harper, "--threads", str(threads), *paths],
            None, (0,), harper_findings),
        "typos": Tool(
            "typos",
            lambda paths, threads: [args.typos, "--threads", str(threads), "--format",
                                    "brief", *paths],
            None, (0, 2), typos_findings),
    }


def ratio(speed, cpu_speed, faster, slower):
    """The wall-time ratio, and the CPU-time one, which other work on the machine
    disturbs less."""
    return (f"{speed[faster] / speed[slower]:.1f}x "
            f"(by CPU time {cpu_speed[faster] / cpu_speed[slower]:.1f}x)")


def warm_page_cache(folder):
    for directory, _, names in os.walk(folder):
        for name in names:
            with open(os.path.join(directory, name), "rb") as f:
                f.read()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mtaudit", required=True)
    parser.add_argument("--harper", required=True)
    parser.add_argument("--typos", required=True)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("data", help="the folder corpus.py wrote")
    parser.add_argument("work", help="a scratch folder for outputs")
    args = parser.parse_args()

    with open(os.path.join(args.data, "manifest.json")) as f:
        manifest = json.load(f)
    inputs = {
        "corpus": (os.path.join(args.data, "corpus"), manifest["corpus"]),
        "sample": (os.path.join(args.data, "sample"), manifest["sample"]),
    }
    for folder, _ in inputs.values():
        warm_page_cache(folder)
    by_name = tools(args)

    corpus, sample = manifest["corpus"], manifest["sample"]
    load_before = os.getloadavg()
    print(f"corpus: {corpus['files']:,} files, {corpus['bytes'] / 1e6:.1f} MB "
          f"({corpus['bytes'] / 2**20:.1f} MiB), {corpus['words']:,} words; "
          f"{corpus['original_files']} originals ({corpus['original_bytes'] / 1e6:.1f} MB), "
          f"the rest their paragraphs reshuffled into new articles "
          f"({corpus['reshuffle_rounds']} rounds)")
    print(f"sample: {sample['files']} files (every {sample['every']}th original), "
          f"{sample['bytes'] / 1e6:.2f} MB, {sample['words']:,} words")
    print(f"machine: {CORES} cores; load average before: "
          + " ".join(f"{x:.2f}" for x in load_before)
          + f"; median of {args.runs} run(s) (Harper: 1 run)\n")

    plan = [("mtaudit", "corpus"), ("typos", "corpus"), ("mtaudit", "sample"),
            ("Harper", "sample")]
    header = (f"{'tool':10}{'input':>8}{'threads':>9}{'wall s':>9}{'words/s':>13}"
              f"{'CPU s':>9}{'peak MB':>9}{'findings':>10}")
    print(header)
    speed, cpu_speed = {}, {}  # words per wall second, per CPU second
    for name, input_name in plan:
        tool = by_name[name]
        folder, counts = inputs[input_name]
        for threads in sorted({1, CORES}):
            runs = 1 if name == "Harper" else args.runs
            output = os.path.join(args.work, f"{name}-{input_name}-{threads}.out")
            results = [tool.run([folder], threads, output) for _ in range(runs)]
            wall = statistics.median(r[0] for r in results)
            rss = max(r[1] for r in results)
            cpu = statistics.median(r[2] for r in results)
            speed[name, input_name, threads] = counts["words"] / wall
            cpu_speed[name, input_name, threads] = counts["words"] / cpu
            print(f"{name:10}{input_name:>8}{threads:>9}{wall:>9.2f}"
                  f"{counts['words'] / wall:>13,.0f}{cpu:>9.2f}{rss:>9.0f}"
                  f"{tool.count(output):>10,}",
                  flush=True)

    empty = os.path.join(args.work, "empty.txt")
    open(empty, "w").close()
    startup_runs = 11
    startups = []
    for name, tool in by_name.items():
        walls = sorted(tool.run([empty], 1, os.path.join(args.work, "startup.out"),
                                peak=False)[0]
                       for _ in range(startup_runs))
        startups.append(f"{name} {statistics.median(walls) * 1000:.1f} ms")
    print(f"\nstart-up (an empty file, median of {startup_runs} runs): " + ", ".join(startups))

    print(f"mtaudit words/s per core (corpus, {CORES} threads): "
          f"{speed['mtaudit', 'corpus', CORES] / CORES:,.0f}")
    print("\nratios (words/s against words/s, same files, same run):")
    for threads in sorted({1, CORES}):
        print(f"  mtaudit / Harper, {threads} thread(s), sample: "
              + ratio(speed, cpu_speed, ("mtaudit", "sample", threads),
                      ("Harper", "sample", threads))
              + ("  (goal: at least 10x on one thread)" if threads == 1 else ""))
    for threads in sorted({1, CORES}):
        print(f"  typos / mtaudit, {threads} thread(s), corpus: "
              + ratio(speed, cpu_speed, ("typos", "corpus", threads),
                      ("mtaudit", "corpus", threads))
              + ("  (goal: typos at most 5x faster)" if threads == 1 else ""))
    print("\nload average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
