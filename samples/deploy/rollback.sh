#!/bin/sh
# The rollback step of the sample: undo what deploy.sh did.
set -eu
echo "rolling back the last deployment"
