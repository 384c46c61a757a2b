# An SMTP server for the notification tests (sourced by tests/run): installs Debian's python3-aiosmtpd
# when /usr/bin/python3 lacks it. The tests start the server themselves (one per test class, on a
# free port, saving each message as a file: tests/Shared/smtp_sink.py), so
# nothing is left running. Debian's python is used: a python first on PATH (pyenv) may lack it.
if ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
  echo "== installing python3-aiosmtpd"
  apt-get update -qq && NEEDRESTART_SUSPEND=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-aiosmtpd >/dev/null
fi
