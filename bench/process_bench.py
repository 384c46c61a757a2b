#!/usr/bin/env python3
"""Whole-command benchmarks: `workflow run` beside `make -j2` and `ninja -j2` on the same DAGs.

Each tool runs the same DAG, generated here as a workflow.json, a Makefile and a build.ninja, in a
fresh folder, several times; the median wall time is reported, and ratios against the peers.
Usage: bench/process_bench.py <workflow-command...>   (bench/run.sh passes the built workflow.dll)
"""
import json, os, shutil, statistics, subprocess, sys, tempfile, time

REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))


def layered_dag(levels=40, width=50):
    """2,000 tasks: level l task i waits on tasks i and i+1 (mod width) of level l-1."""
    tasks = []
    for l in range(levels):
        for i in range(width):
            deps = [] if l == 0 else [f"t{l-1}_{i}", f"t{l-1}_{(i+1) % width}"]
            tasks.append((f"t{l}_{i}", deps, "true"))
    return tasks


def uneven_dag():
    """Twenty 0.1 s tasks listed first, then a chain of four 0.5 s tasks: file order is the worst order."""
    tasks = [(f"short{i}", [], "sleep 0.1") for i in range(20)]
    for i in range(4):
        tasks.append((f"chain{i}", [] if i == 0 else [f"chain{i-1}"], "sleep 0.5"))
    return tasks


def write(folder, name, tasks):
    # A project lives in a repository, as in a CI checkout: the tool finds its root (and state
    # folder) here at once instead of walking up through /tmp, which may hold thousands of entries.
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", folder], check=True)
    wf = {"name": name, "tasks": [{"id": t, "type": "shell", "command": c, **({"depends_on": d} if d else {})} for t, d, c in tasks]}
    with open(os.path.join(folder, "bench.workflow.json"), "w") as f:
        json.dump(wf, f)
    sinks = [t for t, _, _ in tasks if not any(t in d for _, d, _ in tasks)]
    with open(os.path.join(folder, "Makefile"), "w") as f:
        f.write(".PHONY: all " + " ".join(t for t, _, _ in tasks) + "\n")
        f.write("all: " + " ".join(sinks) + "\n")
        for t, d, c in tasks:
            f.write(f"{t}: {' '.join(d)}\n\t@{c}\n")
    with open(os.path.join(folder, "Taskfile.yml"), "w") as f:
        # run: once, or every dependent would run its deps again (go-task's default is run: always)
        f.write("version: '3'\ntasks:\n  all:\n    deps: [" + ", ".join(sinks) + "]\n")
        for t, d, c in tasks:
            f.write(f"  {t}:\n    run: once\n    deps: [{', '.join(d)}]\n    cmds: ['{c}']\n")
    with open(os.path.join(folder, "build.ninja"), "w") as f:
        f.write("rule run\n  command = $cmd\n")
        for t, d, c in tasks:
            f.write(f"build {t}: run {' '.join(d)}\n  cmd = {c}\n")
        f.write("default " + " ".join(sinks) + "\n")


def timed(cmd, folder):
    times = []
    for _ in range(REPEATS):
        for leftover in (".ninja_log", ".ninja_deps", ".workflow", ".task"):
            p = os.path.join(folder, leftover)
            shutil.rmtree(p, ignore_errors=True) if os.path.isdir(p) else (os.path.exists(p) and os.remove(p))
        start = time.perf_counter()
        r = subprocess.run(cmd, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - start
        if r.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr[-2000:]}")
        times.append(elapsed)
    return statistics.median(times)


def main():
    workflow = sys.argv[1:]
    rows = []
    for name, tasks in (("2,000 `true` tasks, 2 slots", layered_dag()), ("uneven sleeps, 2 slots", uneven_dag())):
        folder = tempfile.mkdtemp(prefix="pipeline-bench-")
        write(folder, "bench", tasks)
        ours = timed(workflow + ["run", "bench.workflow.json", "--max-parallel", "2", "--quiet", "--state-dir", os.path.join(folder, ".workflow")], folder)
        taskfile = timed(workflow + ["run", "-t", "Taskfile.yml", "all", "--max-parallel", "2", "--silent", "--state-dir", os.path.join(folder, ".workflow")], folder)
        make = timed(["make", "-j2", "-s"], folder)
        ninja = timed(["ninja", "-j2"], folder) if shutil.which("ninja") else None
        rows.append((name, ours, make, ninja, taskfile))
        shutil.rmtree(folder, ignore_errors=True)
    lower_bound = max(4 * 0.5, (20 * 0.1 + 4 * 0.5) / 2)
    print("| DAG | workflow | workflow -t Taskfile | make -j2 | ninja -j2 | workflow / make | workflow / ninja | Taskfile / make |")
    print("|---|---|---|---|---|---|---|---|")
    for name, ours, make, ninja, taskfile in rows:
        n = f"{ninja:.2f} s" if ninja else "n/a"
        rn = f"{ours / ninja:.2f}" if ninja else "n/a"
        print(f"| {name} | {ours:.2f} s | {taskfile:.2f} s | {make:.2f} s | {n} | {ours / make:.2f} | {rn} | {taskfile / make:.2f} |")
    print(f"\nUneven sleeps: lower bound max(critical path, work / slots) = {lower_bound:.2f} s; "
          f"workflow makespan / bound = {rows[1][1] / lower_bound:.2f}, make -j2 / bound = {rows[1][2] / lower_bound:.2f}")


if __name__ == "__main__":
    main()
