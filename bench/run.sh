#!/usr/bin/env bash
# Runs every benchmark and prints one table (paste it into the README's Performance section).
#   bench/run.sh            full BenchmarkDotNet runs
#   bench/run.sh --quick    shorter in-process runs
# Needs make and ninja (apt-get install make ninja-build) for the side-by-side timings.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

command -v ninja >/dev/null || echo "note: ninja not found (apt-get install ninja-build); its column will say n/a" >&2
dotnet build -c Release src/Pipeline.Cli -v quiet -nologo >/dev/null
workflow_dll="$PWD/src/Pipeline.Cli/bin/Release/net10.0/workflow.dll"

# The tool as users get it fast: natively compiled (ReadyToRun without clang).
dotnet run --project build -- publish-tool >/dev/null
workflow_tool="$PWD/artifacts/workflow/workflow"
# turbo, the caching peer: npm's platform package (the wrapper package tries to download).
turbo_dir="${TMPDIR:-/tmp}/pipeline-bench-turbo"
if [ ! -x "$turbo_dir/node_modules/turbo-linux-64/bin/turbo" ]; then
  mkdir -p "$turbo_dir" && (cd "$turbo_dir" && npm install --silent --no-audit --no-fund turbo-linux-64 >/dev/null 2>&1) \
    || echo "note: turbo could not be installed from npm; its column will say n/a" >&2
fi

echo "## Start-up, per-task latency, cache and memory beside make, ninja and turbo (bench/fast_bench.py)"
echo
/usr/bin/python3 bench/fast_bench.py "$workflow_tool" "$turbo_dir/node_modules/turbo-linux-64/bin/turbo"
echo
echo "## Build project start-up"
echo
/usr/bin/python3 bench/startup_bench.py
echo

echo "## Engine overhead (in process, BenchmarkDotNet; 10,000-task no-op DAG of fan-out, chains and fan-in)"
echo
echo "| Benchmark | per task | total |"
echo "|---|---|---|"
dotnet run -c Release --project bench/Pipeline.Bench -- "$@" 2>&1 | awk -F'\t' '/^RESULT/ { print "| " $2 " | " $3 " | " $4 " |" }'
echo
echo "## One short process, by launcher (in process, own and child CPU from getrusage)"
echo
dotnet run -c Release --project bench/Pipeline.Bench -- --processes 2>&1 | grep '^|'
echo
echo "## Source generator (in process, BenchmarkDotNet; a 1,000-task workflow)"
echo
echo "| Benchmark | total | per task |"
echo "|---|---|---|"
dotnet run -c Release --project bench/Pipeline.Generators.Bench -- "$@" 2>&1 | awk -F'\t' '/^RESULT/ { print "| " $2 " | " $3 " | " $4 " |" }'
echo
echo "## State store write throughput"
echo
# The local PostgreSQL, as the tests use it (installed and started when missing); SQLite only without it.
if [ -z "${PIPELINE_TEST_POSTGRES:-}" ]; then source tests/services/postgres.sh || echo "note: PostgreSQL could not be started; measuring SQLite only" >&2; fi
dotnet run -c Release --project bench/Pipeline.Bench -- --store 2>&1 | grep '^|'
echo
echo "## Kill and resume (a 50-task workflow, SIGKILL at a random moment, then --resume)"
echo
/usr/bin/python3 bench/resume_bench.py dotnet "$workflow_dll"
echo
/usr/bin/python3 bench/hardening_probe.py dotnet "$workflow_dll"
echo
echo "## workflow serve: webhook load (wrk) and schedule accuracy (ACCURACY_MINUTES, default 10)"
echo
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null 2>&1 || echo "note: wrk could not be installed" >&2; }
/usr/bin/python3 bench/serve_bench.py dotnet "$workflow_dll"
echo
echo "## docker tasks beside docker run --rm (the tests' private Docker engine)"
echo
if [ -z "${DOCKER_HOST:-}" ]; then source tests/services/docker.sh && export DOCKER_HOST="$PIPELINE_TEST_DOCKER_HOST"; fi
/usr/bin/python3 bench/docker_bench.py dotnet "$workflow_dll"
echo
echo "## Whole commands beside make and ninja (median of ${BENCH_REPEATS:-3} runs)"
echo
/usr/bin/python3 bench/process_bench.py dotnet "$workflow_dll"
