# The machine's schedulers for the schedule tests (sourced by tests/run): `crontab` from the cron
# package (no daemon needed to edit tables) and `systemd-analyze` from systemd (it checks calendars
# and unit files without a running systemd). Installed when missing; needs root (apt-get).
sched_need=()
type -P crontab >/dev/null || sched_need+=(cron)
type -P systemd-analyze >/dev/null || sched_need+=(systemd)
if [ ${#sched_need[@]} -gt 0 ]; then
  echo "== installing ${sched_need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${sched_need[@]}" >/dev/null
fi
unset sched_need
