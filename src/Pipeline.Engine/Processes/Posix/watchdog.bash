# Pipeline's watchdog (see Watchdog.cs). Started once per engine process, in a session of its own,
# with a pipe that only the engine holds open as its stdin and the engine's table of live task
# sessions as descriptor 3: a memory file of fixed-width records "SESSION GRACE", a free slot blank.
# The engine never writes to the pipe, so its end means the engine is gone: normally with an empty
# table; killed (SIGKILL, OOM), with the sessions of the tasks it was running, which are stopped as
# Ctrl-C stops them: SIGTERM to every process of each session, the grace period, then SIGKILL.
# Nobody reads our output (the engine closed its ends): a write would kill us with SIGPIPE, and bash
# writes an error when a process vanishes between listing /proc and reading its stat.
exec >/dev/null 2>&1
[ -n "${PIPELINE_WATCHDOG_TRACE:-}" ] && { exec 2>>"$PIPELINE_WATCHDOG_TRACE"; set -x; } # for debugging
while read -r _; do :; done # until the engine is gone
declare -A live
grace=0
while read -r sid wait; do
  [ -n "$sid" ] || continue
  live[$sid]=1; [ "${wait:-0}" -gt "$grace" ] && grace=$wait
done <&3
[ ${#live[@]} -eq 0 ] && exit 0

# signal SIG: sends SIG to every process of a registered session; true if any was found.
signal() {
  local found=1 stat line rest fields
  for stat in /proc/[0-9]*/stat; do
    read -r line < "$stat" || continue
    rest=${line##*) }
    read -r -a fields <<< "$rest"
    [ "${fields[0]}" = Z ] && continue # a zombie is dead already
    # state ppid pgrp session: the session is the fourth field after the command name
    if [ -n "${live[${fields[3]}]+x}" ]; then
      found=0
      [ "$1" != 0 ] && kill -"$1" "${stat:6:-5}" 2>/dev/null
    fi
  done
  return $found
}

signal TERM || exit 0
for ((tenths = 0; tenths < grace * 10; tenths++)); do
  signal 0 || exit 0
  sleep 0.1
done
signal KILL
exit 0
