#!/usr/bin/env python3
"""Kill-and-resume at scale: a 50-task workflow is killed with SIGKILL at a random moment, then
resumed with `workflow run --resume`, many times. Counts what the issue asks for: trials, how many
were resumed (killed mid-run), tasks run again (they were running at the kill), tasks that had
succeeded and ran twice (must be 0), and the database's PRAGMA integrity_check.
Usage: bench/resume_bench.py <workflow-command...> [--trials N]   (bench/run.sh passes the built workflow.dll)"""
import json, os, random, shutil, signal, sqlite3, subprocess, sys, tempfile, time
from collections import Counter

TRIALS = int(os.environ.get("RESUME_TRIALS", "20"))


def workflow_json():
    tasks = []
    for level in range(5):
        for i in range(10):
            deps = [] if level == 0 else [f"t{level-1}_{i}", f"t{level-1}_{(i+1) % 10}"]
            cmd = f"echo t{level}_{i} >> ran.txt; sleep 0.{1 + (level * 10 + i) % 3}"
            task = {"id": f"t{level}_{i}", "type": "shell", "command": cmd}
            if deps:
                task["depends_on"] = deps
            tasks.append(task)
    return {"name": "fifty", "max_parallel": 4, "tasks": tasks}


def main():
    workflow = sys.argv[1:]
    rng = random.Random(42)
    resumed = rerun = twice = finished_before_kill = integrity_failures = 0
    for trial in range(TRIALS):
        folder = tempfile.mkdtemp(prefix="pipeline-resume-")
        try:
            with open(os.path.join(folder, "fifty.workflow.json"), "w") as f:
                json.dump(workflow_json(), f)
            p = subprocess.Popen(workflow + ["run", "fifty.workflow.json", "--quiet"], cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(0.3 + rng.random() * 2.0)
            if p.poll() not in (None, 0):
                sys.exit(f"trial {trial}: `{' '.join(workflow)} run` failed on its own (exit {p.returncode}); is the command right? (paths must be absolute)")
            p.send_signal(signal.SIGKILL)
            p.wait()
            time.sleep(0.2)  # orphaned task processes finish their short sleeps
            db = os.path.join(folder, ".workflow", "state.db")
            if not os.path.exists(db):
                continue
            con = sqlite3.connect(db)
            row = con.execute("select id, status from executions order by started_at desc limit 1").fetchone()
            if row is None or row[1] != "running":
                finished_before_kill += 1
                con.close()
                continue
            done_before = {r[0] for r in con.execute("select task_id from task_runs where execution_id = ? and status = 'succeeded'", (row[0],))}
            con.close()
            r = subprocess.run(workflow + ["run", "fifty.workflow.json", "--resume", "--quiet"], cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if r.returncode != 0:
                sys.exit(f"trial {trial}: resume failed ({r.returncode}): {r.stderr[-1000:]}")
            resumed += 1
            counts = Counter(open(os.path.join(folder, "ran.txt")).read().split())
            if len(counts) != 50:
                sys.exit(f"trial {trial}: only {len(counts)} of 50 tasks ran")
            rerun += sum(1 for t, n in counts.items() if n > 1)
            twice += sum(1 for t in done_before if counts[t] > 1)
            con = sqlite3.connect(db)
            if con.execute("pragma integrity_check").fetchone()[0] != "ok":
                integrity_failures += 1
            con.close()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    print("| Trials | resumed | finished before the kill | tasks run again (were running) | succeeded tasks run twice | integrity_check failures |")
    print("|---|---|---|---|---|---|")
    print(f"| {TRIALS} | {resumed} | {finished_before_kill} | {rerun} | {twice} | {integrity_failures} |")


if __name__ == "__main__":
    main()
