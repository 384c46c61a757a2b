#!/usr/bin/env python3
"""docker tasks beside `docker run --rm`: what running a container through the engine costs.

On one Docker engine (DOCKER_HOST; bench/run.sh starts the tests' private one) and one tiny image
(PIPELINE_TEST_DOCKER_IMAGE, busybox imported by tests/services/docker.sh), interleaved, REPEATS
times each (median reported):
  - a chain of CHAIN docker tasks running `true` (each waits on the one before), as one
    `workflow run`, against CHAIN sequential `docker run --rm --network none <image> true`;
  - the same chain of shell tasks running `true`, so the workflow tool's own start-up and the
    engine's per-task cost can be told apart from the containers';
per container: create, attach, start, wait, remove, start to exit.
Usage: bench/docker_bench.py <workflow-command...>   (bench/run.sh passes the built workflow.dll)"""
import json, os, statistics, subprocess, sys, tempfile, time

REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
CHAIN = int(os.environ.get("DOCKER_CHAIN", "10"))
IMAGE = os.environ.get("PIPELINE_TEST_DOCKER_IMAGE", "pipeline-test/busybox:1")


def workflow(folder, name, task):
    tasks = [dict(task, id=f"t{i}", **({"depends_on": [f"t{i-1}"]} if i else {})) for i in range(CHAIN)]
    path = os.path.join(folder, f"{name}.workflow.json")
    with open(path, "w") as f:
        json.dump({"name": name, "tasks": tasks}, f)
    return path


def timed(command, cwd):
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return time.perf_counter() - start


def main():
    tool = sys.argv[1:]
    if not tool:
        sys.exit(__doc__)
    if subprocess.run(["docker", "image", "inspect", IMAGE], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0:
        sys.exit(f"image {IMAGE} not found on {os.environ.get('DOCKER_HOST', 'the default engine')}: source tests/services/docker.sh first")
    with tempfile.TemporaryDirectory() as folder:
        docker_wf = workflow(folder, "containers", {"type": "docker", "image": IMAGE, "pull": "never", "network": "none", "command": ["true"]})
        shell_wf = workflow(folder, "processes", {"type": "shell", "command": "true"})
        state = ["--state-dir", os.path.join(folder, "state"), "--quiet"]
        times = {"docker run --rm": [], "workflow (docker tasks)": [], "workflow (shell tasks)": []}
        timed(tool + ["run", docker_wf] + state, folder)  # warm the file cache and the engine
        for _ in range(REPEATS):
            start = time.perf_counter()
            for _ in range(CHAIN):
                timed(["docker", "run", "--rm", "--network", "none", IMAGE, "true"], folder)
            times["docker run --rm"].append(time.perf_counter() - start)
            times["workflow (docker tasks)"].append(timed(tool + ["run", docker_wf] + state, folder))
            times["workflow (shell tasks)"].append(timed(tool + ["run", shell_wf] + state, folder))
        left = subprocess.run(["docker", "ps", "-aq", "--filter", "label=dev.pipeline.workflow=containers"], capture_output=True, text=True).stdout.split()

    median = {k: statistics.median(v) for k, v in times.items()}
    cli = median["docker run --rm"]
    per_container = (median["workflow (docker tasks)"] - median["workflow (shell tasks)"]) / CHAIN
    print(f"| {CHAIN} containers running `true`, one after another (median of {REPEATS}) | wall | per container |")
    print("|---|---|---|")
    print(f"| `docker run --rm` ×{CHAIN} (the docker CLI) | {cli:.2f} s | {cli / CHAIN * 1000:.0f} ms |")
    print(f"| `workflow run`, {CHAIN} docker tasks in a chain | {median['workflow (docker tasks)']:.2f} s | {median['workflow (docker tasks)'] / CHAIN * 1000:.0f} ms |")
    print(f"| `workflow run`, {CHAIN} shell tasks in a chain (the tool's start-up and engine) | {median['workflow (shell tasks)']:.2f} s | {median['workflow (shell tasks)'] / CHAIN * 1000:.0f} ms |")
    print()
    print(f"Per container through the engine (docker chain minus shell chain, / {CHAIN}): {per_container * 1000:.0f} ms, "
          f"{per_container / (cli / CHAIN):.2f}× `docker run --rm`; whole command {median['workflow (docker tasks)'] / cli:.2f}× the CLI loop. "
          f"Containers left behind: {len(left)}.")


if __name__ == "__main__":
    main()
