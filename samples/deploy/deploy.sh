#!/bin/sh
# The deploy step of the sample: a real project puts its release commands here.
set -eu
echo "deploying ${NODE_ENV:-development} build to ${API_URL:-nowhere}"
