#!/usr/bin/env python3
"""Start-up of a build project: `dotnet run --project build -- ready` (a target that does nothing)
and ./build.sh ready beside `dotnet run` of an empty console app, side by side in one run, each built first.
Usage: bench/startup_bench.py (from the repository root; bench/run.sh calls it)."""
import os, shutil, statistics, subprocess, sys, tempfile, time

REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
ENV = dict(os.environ, DOTNET_CLI_TELEMETRY_OPTOUT="1", DOTNET_NOLOGO="1")


def run(cmd, cwd):
    r = subprocess.run(cmd, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stdout[-3000:]}")


def median(cmd, cwd):
    run(cmd, cwd)  # warm the build servers and the disk cache
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run(cmd, cwd)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    root = os.getcwd()
    empty = tempfile.mkdtemp(prefix="pipeline-empty-")
    try:
        run(["dotnet", "new", "console", "-o", empty, "-n", "Empty"], root)
        run(["dotnet", "build", empty, "-nologo"], root)
        run(["dotnet", "build", "build", "-nologo"], root)
        rows = [
            ("dotnet run (build check + run)", median(["dotnet", "run", "--project", "build", "--", "ready"], root),
             median(["dotnet", "run", "--project", empty], root)),
            ("dotnet run --no-build", median(["dotnet", "run", "--project", "build", "--no-build", "--", "ready"], root),
             median(["dotnet", "run", "--project", empty, "--no-build"], root)),
            # The bootstrapper: the compiled build at once when no input is newer than its last compile.
            ("./build.sh (nothing changed) vs dotnet run", median(["./build.sh", "ready"], root),
             median(["dotnet", "run", "--project", empty], root)),
        ]
    finally:
        shutil.rmtree(empty, ignore_errors=True)
    print(f"| Command (median of {REPEATS}) | build project, no-op target | empty console app | ratio |")
    print("|---|---|---|---|")
    for name, ours, plain in rows:
        print(f"| {name} | {ours:.2f} s | {plain:.2f} s | {ours / plain:.2f} |")


if __name__ == "__main__":
    main()
