#!/usr/bin/env bash
# Runs the repository's build project (build/) without the cost of `dotnet run` when it can: the
# compiled build runs at once when nothing it is made from changed since it was compiled (build/,
# src/, samples/ and the repository's MSBuild files, by modification time, against a stamp written
# after the last compile); otherwise `dotnet build` compiles it first. Arguments are the build's: ./build.sh test,
# ./build.sh --help. `dotnet run --project build -- <target>` stays the portable way (build.cmd on Windows).
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
dll="$root/build/bin/Debug/net10.0/Build.dll"
stamp="$root/build/obj/build.sh.stamp"
inputs=("$root/build" "$root/src" "$root/samples" "$root/Directory.Build.props" "$root/Directory.Build.targets" "$root/global.json")
if [ -f "$dll" ] && [ -f "$stamp" ] && [ -z "$(find "${inputs[@]}" \( -name bin -o -name obj -o -name .workflow -o -name TestResults \) -prune -o -type f -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  exec dotnet "$dll" "$@"
fi
touch "$stamp.next"   # sources changed while compiling count as changed next time
dotnet build "$root/build" -nologo -v quiet -clp:NoSummary >&2
mv "$stamp.next" "$stamp"
exec dotnet "$dll" "$@"
