#!/usr/bin/env python3
"""Repeats the probes of the hardening issue against the real `workflow` program and prints tables.

Signals: trials of a task whose background job `set -m` moved to another process group (after the
task succeeds, after Ctrl-C, after SIGKILL of the runner), clean-ups longer than 2 s under SIGTERM,
and batches of ten `concurrency: cancel-previous` runs started at once; for each, how many trials
left a process running or an execution unfinished. Inputs: templates nested 10,000 deep and a
20,000-task dependency cycle, with wall time and peak memory of `workflow validate`.

Usage: bench/hardening_probe.py <workflow-command...>   (e.g. dotnet src/Pipeline.Cli/bin/Release/net10.0/workflow.dll)
"""
import json, os, signal, subprocess, sys, tempfile, time

WORKFLOW = sys.argv[1:] or ["workflow"]
TRIALS = int(os.environ.get("PROBE_TRIALS", "20"))


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_file(path, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(path) and open(path).read().strip():
            return open(path).read().strip()
        time.sleep(0.02)
    raise TimeoutError(path)


def wait_gone(pids, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline and any(alive(p) for p in pids):
        time.sleep(0.05)
    return [p for p in pids if alive(p)]


def workflow(folder, name, tasks, **extra):
    with open(os.path.join(folder, f"{name}.workflow.json"), "w") as f:
        json.dump({"name": name, "tasks": tasks, **extra}, f)
    return f"{name}.workflow.json"


def start(folder, *args):
    return subprocess.Popen(WORKFLOW + list(args), cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run(folder, *args):
    return subprocess.run(WORKFLOW + list(args), cwd=folder, capture_output=True, text=True)


def unfinished(folder):
    history = json.loads(run(folder, "history", "--format", "json", "--limit", "1000").stdout or "[]")
    return sum(1 for e in history if e["status"] == "running")


def job_trial(mode):
    """A bash task with a job in another process group; the runner ends as `mode` says."""
    folder = tempfile.mkdtemp(prefix="probe-")
    hold = "sleep 300" if mode != "succeeds" else "sleep 0.3"
    path = workflow(folder, "jobs", [{"id": "t", "type": "shell", "shell": "bash",
        "command": f"set -m; sleep 300 >/dev/null 2>&1 & echo $! > job; echo $$ > leader; {hold}"}])
    runner = start(folder, "run", path, "--quiet", "--grace-period", "1s")
    pids = [int(wait_file(os.path.join(folder, f))) for f in ("job", "leader")]
    if mode == "ctrl-c":
        runner.send_signal(signal.SIGINT)
    elif mode == "sigkill":
        runner.kill()
    runner.wait(120)
    left = wait_gone(pids, timeout=15)
    for p in left:
        os.kill(p, signal.SIGKILL)
    return bool(left), mode != "sigkill" and unfinished(folder) > 0


def slow_cleanup_trial():
    """SIGTERM to a run whose task ignores SIGTERM and whose on_failure and rollback take 2.5 s each."""
    folder = tempfile.mkdtemp(prefix="probe-")
    path = workflow(folder, "slow", [
        {"id": "deaf", "type": "shell", "shell": "bash", "command": "trap '' TERM; echo $$ > pid; sleep 1000 & wait; wait", "on_failure": ["tell"]},
        {"id": "tell", "type": "shell", "command": "sleep 2.5; echo told > told"},
        {"id": "undo", "type": "shell", "command": "sleep 2.5; echo undone > undone"}], rollback=["undo"])
    runner = start(folder, "run", path, "--quiet", "--grace-period", "2500ms")
    pid = int(wait_file(os.path.join(folder, "pid")))
    runner.send_signal(signal.SIGTERM)
    code = runner.wait(120)
    ok = code == 130 and os.path.exists(os.path.join(folder, "undone")) and os.path.exists(os.path.join(folder, "told"))
    reports = [f for _, _, fs in os.walk(os.path.join(folder, ".workflow", "runs")) for f in fs if f == "report.json"]
    left = wait_gone([pid], timeout=5)
    return bool(left) or not ok or len(reports) != 1, unfinished(folder) > 0


def cancel_previous_batch():
    folder = tempfile.mkdtemp(prefix="probe-")
    path = workflow(folder, "one", [{"id": "work", "type": "shell", "command": "sleep 8"}], concurrency="cancel-previous")
    runners = [start(folder, "run", path, "--quiet", "--grace-period", "200ms") for _ in range(10)]
    codes = [r.wait(300) for r in runners]
    bad = [c for c in codes if c not in (0, 130)]
    return bool(bad), unfinished(folder) > 0


def measure(folder, *args):
    """Runs one command; its own wall time and peak resident memory (wait4's rusage of that child)."""
    with tempfile.TemporaryFile(mode="w+") as out:
        clock = time.time()
        child = subprocess.Popen(WORKFLOW + list(args), cwd=folder, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.time() - clock
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        return subprocess.CompletedProcess(args, child.returncode, out.read(), ""), elapsed, usage.ru_maxrss // 1024


def main():
    print(f"## Signals ({TRIALS} trials each; a trial fails if a process outlives it or an execution is left running)\n")
    print("| Probe | trials | processes left running | executions left running |")
    print("|---|---|---|---|")
    for label, trial, n in [
        ("`set -m` job, task succeeds", lambda: job_trial("succeeds"), TRIALS),
        ("`set -m` job, Ctrl-C", lambda: job_trial("ctrl-c"), TRIALS),
        ("`set -m` job, runner SIGKILLed", lambda: job_trial("sigkill"), TRIALS),
        ("SIGTERM, clean-up of 5 s (task ignores SIGTERM, on_failure and rollback 2.5 s each)", slow_cleanup_trial, max(3, TRIALS // 4)),
        ("10 `cancel-previous` runs at once (per batch)", cancel_previous_batch, max(3, TRIALS // 5)),
    ]:
        results = [trial() for _ in range(n)]
        print(f"| {label} | {n} | {sum(1 for r in results if r[0])} | {sum(1 for r in results if r[1])} |")

    print("\n## Hostile inputs (`workflow validate`: wall time and peak resident memory of that one process)\n")
    print("| Input | exit | diagnostics | output | wall | peak memory |")
    print("|---|---|---|---|---|---|")
    folder = tempfile.mkdtemp(prefix="probe-")
    for kind, open_, close in [("if", "{{if true}}", "{{end}}"), ("range", "{{range .L}}", "{{end}}"), ("parentheses", "(", ")")]:
        body = open_ * 10000 + ("print 1" if kind == "parentheses" else "x") + close * 10000
        text = "{{" + body + "}}" if kind == "parentheses" else body
        with open(os.path.join(folder, "Taskfile.yml"), "w") as f:
            f.write(f"version: '3'\nvars:\n  L: [a]\ntasks:\n  default:\n    cmds:\n      - 'echo {text}'\n")
        result, elapsed, peak = measure(folder, "validate", "Taskfile.yml")
        print(f"| Taskfile template, {kind} nested 10,000 deep | {result.returncode} | {result.stdout.count('error WF')} | {len(result.stdout):,} B | {elapsed:.2f} s | {peak} MB |")
    n = 20000
    workflow(folder, "ring", [{"id": f"t{i}", "type": "shell", "command": "true", "depends_on": [f"t{(i + 1) % n}"]} for i in range(n)])
    result, elapsed, peak = measure(folder, "validate", "ring.workflow.json")
    print(f"| 20,000-task dependency cycle | {result.returncode} | {result.stdout.count('error WF')} | {len(result.stdout):,} B | {elapsed:.2f} s | {peak} MB |")


if __name__ == "__main__":
    main()
