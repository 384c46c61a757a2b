#!/usr/bin/env python3
"""The figures users feel, each beside its peer, measured side by side in one run:

  start-up    `workflow validate` of one file and `workflow run` of a one-task workflow vs make running one `true`
  latency     a chain of 300 `true` tasks and 2,000 independent ones vs make -j2 and ninja -j2,
              with the chain's per-task time split (process: start seen to exit seen; hand-off: one
              task's end to the next one's start), from the run's report
  cache       an all-cached re-run of 500 tasks that each hash 10 small files vs turbo run fully cached,
              and how many tasks each re-runs after one file changes
  memory      peak RSS of `workflow run` of 10,000 tasks, and of one task printing 200 MB beside 20 MB

Usage: bench/fast_bench.py <workflow tool> [turbo binary]
  The tool is the natively compiled one (`dotnet run --project build -- publish-tool` writes
  artifacts/workflow/workflow); bench/run.sh passes it and installs turbo from npm when it can.
Prints a Markdown table; ratios are ours / peer (below 1.00 means faster than the peer).
"""
import json, os, shutil, statistics, subprocess, sys, tempfile, time

import process_bench

REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
QUICK_REPEATS = int(os.environ.get("BENCH_QUICK_REPEATS", "15"))
ENV = dict(os.environ, TURBO_TELEMETRY_DISABLED="1", DO_NOT_TRACK="1", TURBO_NO_UPDATE_NOTIFIER="1")


def run(cmd, cwd, check=True):
    r = subprocess.run(cmd, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check and r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return r


def timed(cmd, cwd, repeats=REPEATS, before=None):
    times = []
    for _ in range(repeats):
        if before:
            before()
        start = time.perf_counter()
        run(cmd, cwd)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_rss_mib(cmd, cwd):
    """Peak resident memory of the command's own process (wait4's rusage of that child)."""
    p = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(cmd)} failed")
    return usage.ru_maxrss / 1024


def write(folder, tasks):
    """The DAG as bench.workflow.json, a Makefile and a build.ninja (process_bench.py's writer)."""
    process_bench.write(folder, "bench", tasks)


def workflow_only(folder, tasks):
    """Just bench.workflow.json: the memory rows have no peer file (and 10,000 tasks would make the peers' writer slow)."""
    run(["git", "init", "-q", "."], folder) # a repository, as process_bench.write makes
    with open(os.path.join(folder, "bench.workflow.json"), "w") as f:
        json.dump({"name": "bench", "tasks": [{"id": t, "type": "shell", "command": c} for t, _, c in tasks]}, f)


def clean(folder):
    def go():
        for leftover in (".ninja_log", ".ninja_deps", ".workflow"):
            p = os.path.join(folder, leftover)
            shutil.rmtree(p, ignore_errors=True) if os.path.isdir(p) else (os.path.exists(p) and os.remove(p))
    return go


def startup(tool, rows):
    folder = tempfile.mkdtemp(prefix="pipeline-fast-")
    write(folder, [("t", [], "true")])
    make = timed(["make", "-s"], folder, QUICK_REPEATS)
    validate = timed([tool, "validate", "bench.workflow.json"], folder, QUICK_REPEATS)
    one = timed([tool, "run", "bench.workflow.json", "--quiet", "--no-cache"], folder, QUICK_REPEATS)
    rows.append(("`workflow validate` of one file", f"{validate * 1000:.0f} ms", "make, one `true`", f"{make * 1000:.0f} ms", validate / make, "≤ 100 ms"))
    rows.append(("`workflow run` of a one-task workflow", f"{one * 1000:.0f} ms", "make, one `true`", f"{make * 1000:.0f} ms", one / make, "≤ 150 ms"))
    shutil.rmtree(folder, ignore_errors=True)


def latency(tool, rows, notes):
    chain = [(f"c{i}", [f"c{i-1}"] if i else [], "true") for i in range(300)]
    wide = [(f"w{i}", [], "true") for i in range(2000)]
    for label, tasks, target in (("300 `true` tasks in a chain", chain, "≤ 1.0× make"), ("2,000 independent `true` tasks", wide, "≤ 1.0× make, ≤ 1.2× ninja")):
        folder = tempfile.mkdtemp(prefix="pipeline-fast-")
        write(folder, tasks)
        ours = timed([tool, "run", "bench.workflow.json", "-j", "2", "--quiet", "--no-cache"], folder, before=clean(folder))
        make = timed(["make", "-j2", "-s"], folder, before=clean(folder))
        rows.append((label + ", 2 slots", f"{ours:.2f} s", "make -j2", f"{make:.2f} s", ours / make, target))
        if shutil.which("ninja"):
            ninja = timed(["ninja", "-j2"], folder, before=clean(folder))
            rows.append((label + ", 2 slots", f"{ours:.2f} s", "ninja -j2", f"{ninja:.2f} s", ours / ninja, target))
        if tasks is chain:
            clean(folder)()
            run([tool, "run", "bench.workflow.json", "-j", "2", "--quiet", "--no-cache"], folder)
            notes.append(chain_breakdown(folder))
        shutil.rmtree(folder, ignore_errors=True)


def chain_breakdown(folder):
    runs = os.path.join(folder, ".workflow", "runs")
    report = json.load(open(os.path.join(runs, os.listdir(runs)[0], "report.json")))
    def t(s):
        from datetime import datetime
        return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
    tasks = {x["instance_id"]: x for x in report["tasks"]}
    durations, handoffs = [], []
    for i in range(300):
        a = tasks[f"c{i}"]
        durations.append(t(a["finished_at"]) - t(a["started_at"]))
        if i + 1 < 300:
            handoffs.append(t(tasks[f"c{i+1}"]["started_at"]) - t(a["finished_at"]))
    return (f"Chain of 300, per task (median): process {statistics.median(durations) * 1000:.2f} ms "
            f"(start to exit seen, spawn included), hand-off {statistics.median(handoffs) * 1000:.2f} ms "
            f"(end recorded to the next task started); make's whole cost per task is the chain's time / 300.")


def monorepo(folder, packages=500, files=10):
    with open(os.path.join(folder, "package.json"), "w") as f:
        json.dump({"name": "root", "private": True, "packageManager": "npm@9.0.0", "workspaces": ["packages/*"]}, f)
    with open(os.path.join(folder, "turbo.json"), "w") as f:
        json.dump({"tasks": {"build": {"inputs": ["src/**"], "outputs": ["dist/**"]}}}, f)
    script = "mkdir -p dist && cat src/* > dist/out.txt"
    tasks = []
    for i in range(packages):
        d = os.path.join(folder, "packages", f"p{i}")
        os.makedirs(os.path.join(d, "src"))
        with open(os.path.join(d, "package.json"), "w") as f:
            json.dump({"name": f"p{i}", "version": "1.0.0", "scripts": {"build": script}}, f)
        for j in range(files):
            with open(os.path.join(d, "src", f"f{j}.txt"), "w") as f:
                f.write(f"package {i} file {j}\n")
        tasks.append({"id": f"p{i}", "type": "shell", "cwd": f"packages/p{i}", "command": script, "inputs": ["src/**"], "generates": ["dist/**"]})
    with open(os.path.join(folder, "mono.workflow.json"), "w") as f:
        json.dump({"name": "mono", "tasks": tasks}, f)
    run(["git", "init", "-q", "."], folder)
    run(["git", "-c", "user.email=bench@localhost", "-c", "user.name=bench", "add", "-A"], folder)
    run(["git", "-c", "user.email=bench@localhost", "-c", "user.name=bench", "commit", "-qm", "bench"], folder)


def cache(tool, turbo, rows, notes):
    folder = tempfile.mkdtemp(prefix="pipeline-cache-")
    monorepo(folder)
    ours_cmd = [tool, "run", "mono.workflow.json", "--quiet"]
    run(ours_cmd, folder)  # fills the cache
    ours = timed(ours_cmd, folder)
    changed = os.path.join(folder, "packages", "p7", "src", "f3.txt")
    with open(changed, "a") as f:
        f.write("changed\n")
    report = json.loads(run([tool, "run", "mono.workflow.json", "--format", "json"], folder).stdout)
    ours_reran = sum(1 for t in report["tasks"] if t["status"] != "cached")
    if turbo:
        turbo_cmd = [turbo, "run", "build", "--output-logs=full"]
        with open(changed, "w") as f:
            f.write("package 7 file 3\n")
        print("filling turbo's cache (npm runs each of the 500 builds once; a minute or more)...", file=sys.stderr)
        run([turbo, "run", "build", "--concurrency=8"], folder)
        theirs = timed(turbo_cmd, folder)
        with open(changed, "a") as f:
            f.write("changed\n")
        out = run(turbo_cmd, folder).stdout
        line = next((l for l in out.splitlines() if "Cached:" in l), "")
        cached = int(line.split("Cached:")[1].split("cached")[0].strip()) if line else -1
        rows.append(("all-cached re-run, 500 tasks × 10 input files", f"{ours:.2f} s", "turbo run (2.8, fully cached)", f"{theirs:.2f} s", ours / theirs, "< 1.00"))
        notes.append(f"One input file changed: workflow re-ran {ours_reran} task(s), turbo {500 - cached} task(s) (both should be 1).")
    else:
        rows.append(("all-cached re-run, 500 tasks × 10 input files", f"{ours:.2f} s", "turbo (not installed)", "n/a", None, "< 1.00"))
        notes.append(f"One input file changed: workflow re-ran {ours_reran} task(s) (should be 1).")
    shutil.rmtree(folder, ignore_errors=True)


def memory(tool, rows):
    folder = tempfile.mkdtemp(prefix="pipeline-mem-")
    workflow_only(folder, [(f"m{i}", [], "true") for i in range(10000)])
    rss = peak_rss_mib([tool, "run", "bench.workflow.json", "-j", "2", "--quiet", "--no-cache"], folder)
    rows.append(("peak RSS, `workflow run` of 10,000 tasks", f"{rss:.0f} MiB", "", "", None, "≤ 300 MiB"))
    shutil.rmtree(os.path.join(folder, ".workflow"), ignore_errors=True)
    workflow_only(folder, [("loud", [], "yes 0123456789abcdefghijklmnopqrstuvwxyz | head -c 200000000")])
    loud = peak_rss_mib([tool, "run", "bench.workflow.json", "--quiet", "--no-cache"], folder)
    shutil.rmtree(os.path.join(folder, ".workflow"), ignore_errors=True)
    workflow_only(folder, [("loud", [], "yes 0123456789abcdefghijklmnopqrstuvwxyz | head -c 20000000")])
    small = peak_rss_mib([tool, "run", "bench.workflow.json", "--quiet", "--no-cache"], folder)
    rows.append(("peak RSS, one task printing 200 MB", f"{loud:.0f} MiB", "the same task printing 20 MB", f"{small:.0f} MiB", loud / small, "flat (≈ 1.0)"))
    shutil.rmtree(folder, ignore_errors=True)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    tool = os.path.abspath(sys.argv[1])
    turbo = sys.argv[2] if len(sys.argv) > 2 and os.path.exists(sys.argv[2]) else None
    rows, notes = [], []
    startup(tool, rows)
    latency(tool, rows, notes)
    cache(tool, turbo, rows, notes)
    memory(tool, rows)
    print(f"| Measure | workflow | peer | peer's figure | ratio | target |")
    print("|---|---|---|---|---|---|")
    for name, ours, peer, theirs, ratio, target in rows:
        print(f"| {name} | {ours} | {peer} | {theirs} | {'' if ratio is None else f'{ratio:.2f}'} | {target} |")
    print()
    for n in notes:
        print(n)


if __name__ == "__main__":
    main()
