# The natively compiled workflow tool for NativeToolTests (sourced by tests/run, after the solution is
# built): installs clang when no clang is on PATH, publishes artifacts/workflow/workflow through the build
# project's publish-tool target when any source is newer than it (a few minutes on two cores), and
# exports PIPELINE_TEST_NATIVE_TOOL.
native_tool="$PWD/artifacts/workflow/workflow"
if ! compgen -c clang | grep -qE '^clang(-[0-9]+)?$'; then
  echo "== installing clang (Native AOT links with it)"
  apt-get update -qq && NEEDRESTART_SUSPEND=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang >/dev/null
fi
if [ ! -x "$native_tool" ] || [ -n "$(find src -path '*/bin' -prune -o -path '*/obj' -prune -o -newer "$native_tool" -type f -print -quit)" ]; then
  echo "== publishing the native workflow tool (dotnet run --project build -- publish-tool)"
  dotnet run --project build -- publish-tool --tool-build native >/dev/null || { echo "publish-tool failed; run it by hand to see why" >&2; exit 1; }
fi
export PIPELINE_TEST_NATIVE_TOOL="$native_tool"
