#!/usr/bin/env python3
"""`workflow serve` under load, and the scheduler's accuracy.

webhooks: wrk (Debian package) posts signed deliveries of a no-op workflow to `workflow serve` on
127.0.0.1 at concurrency 64 for 30 s; each request carries a unique X-Request-Id (a small Lua script),
so afterwards the state store tells, per delivery, whether its run was recorded: lost runs (accepted
but never recorded) and doubled runs (recorded twice) must both be 0. Prints accepted runs per
second and the latency percentiles wrk measured.

schedules: 20 workflows with 6-field schedules firing every few seconds run under `workflow serve`
for ACCURACY_MINUTES (default 10); from the store, each run's start against the time its schedule
called for: p50, p99, max, and fire times run twice or never.

Usage: bench/serve_bench.py <workflow-command...> [webhooks|schedules]   (bench/run.sh passes the built workflow.dll)"""
import hashlib, hmac, json, os, re, signal, socket, sqlite3, subprocess, sys, tempfile, time
import urllib.request
from datetime import datetime, timedelta, timezone

SECRET = "bench-secret"
DURATION = os.environ.get("WRK_DURATION", "30s")
CONNECTIONS = int(os.environ.get("WRK_CONNECTIONS", "64"))
ACCURACY_MINUTES = float(os.environ.get("ACCURACY_MINUTES", "10"))

# A no-op workflow: one conditional task whose branch is empty, so a run is the engine and the store, no process.
NOOP = {"name": "noop", "secrets": ["HOOK_SECRET"],
        "trigger": {"type": "webhook", "config": {"path": "/hooks/noop", "secret": "HOOK_SECRET"}},
        "tasks": [{"id": "check", "type": "conditional", "condition": "trigger.payload.ok == true", "then": [], "else": []}]}

LUA = r"""
local counter = 0
local thread_id = 0
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
local accepted = nil
function init(args)
  thread_id = tid
  accepted = io.open("accepted-" .. tid .. ".txt", "w")
end
function response(status, headers, body)
  if status == 202 then
    accepted:write(body:match('"execution_id":"([^"]+)"') or "?", "\n")
    accepted:flush()
  end
end
function request()
  counter = counter + 1
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers["X-Hub-Signature-256"] = "SIGNATURE"
  headers["X-Request-Id"] = "d-" .. thread_id .. "-" .. counter
  return wrk.format("POST", "/hooks/noop", headers, 'BODY')
end
"""


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def serve(workflow, folder, port, env=None):
    log = open(os.path.join(folder, "serve.log"), "w")
    p = subprocess.Popen(workflow + ["serve", "--urls", f"http://127.0.0.1:{port}", "--drain-timeout", "5m"], cwd=folder,
                         stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2).status == 200:
                return p
        except Exception:
            time.sleep(0.1)
    p.kill()
    sys.exit("workflow serve did not get ready:\n" + open(os.path.join(folder, "serve.log")).read()[-2000:])


def stop(p):
    p.send_signal(signal.SIGTERM)
    if p.wait(timeout=600) != 0:
        sys.exit(f"workflow serve exited {p.returncode}")


def ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def webhooks(workflow):
    if not shutil_which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    folder = tempfile.mkdtemp(prefix="pipeline-serve-bench-")
    with open(os.path.join(folder, "noop.workflow.json"), "w") as f:
        json.dump(NOOP, f)
    body = '{"ok":true}'
    signature = "sha256=" + hmac.new(SECRET.encode(), body.encode(), hashlib.sha256).hexdigest()
    with open(os.path.join(folder, "signed.lua"), "w") as f:
        f.write(LUA.replace("SIGNATURE", signature).replace("BODY", body))
    port = free_port()
    p = serve(workflow, folder, port, {"HOOK_SECRET": SECRET})
    wrk = subprocess.run(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", "-s", "signed.lua", f"http://127.0.0.1:{port}"],
                         cwd=folder, capture_output=True, text=True)
    stop(p)  # drains: every accepted run finishes and is recorded before it exits
    out = wrk.stdout
    total = int(re.search(r"(\d+) requests in ([\d.]+)(\w+)", out).group(1))
    seconds = float(re.search(r"requests in ([\d.]+)s", out).group(1)) if re.search(r"requests in ([\d.]+)s", out) else float(DURATION.rstrip("s"))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    accepted = total - non2xx
    lat = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M))
    con = sqlite3.connect(os.path.join(folder, ".workflow", "state.db"))
    rows = con.execute("select json_extract(trigger_data, '$.delivery'), count(*), sum(status = 'succeeded') from executions where trigger = 'webhook' group by 1").fetchall()
    recorded_ids = {r[0] for r in con.execute("select id from executions where trigger = 'webhook'")}
    con.close()
    doubled = sum(n - 1 for _, n, _ in rows if n > 1)
    failed = sum(n - s for _, n, s in rows)
    # Every execution id a 202 answered with (the Lua script wrote them down) must be in the store.
    answered = set()
    for name in os.listdir(folder):
        if name.startswith("accepted-"):
            answered |= {line.strip() for line in open(os.path.join(folder, name)) if line.strip()}
    lost = len(answered - recorded_ids)
    print("| Load (wrk, signed deliveries of a no-op workflow, one run each) | requests | accepted | accepted runs/s | p50 | p99 | non-2xx | socket errors | runs recorded | lost | doubled | failed runs |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    print(f"| c{CONNECTIONS}, {DURATION}, 2 threads | {total} | {accepted} | {accepted / seconds:.0f} | {ms(lat['50']):.1f} ms | {ms(lat['99']):.1f} ms | {non2xx} | {errors} | {len(recorded_ids)} | {lost} | {doubled} | {failed} |")
    return 0 if lost == 0 and doubled == 0 else 1


def schedules(workflow):
    folder = tempfile.mkdtemp(prefix="pipeline-schedule-bench-")
    for i in range(20):
        step = 3 + i % 3  # every 3, 4 or 5 seconds, offset so they do not all fire together
        wf = {"name": f"tick{i:02d}", "trigger": {"type": "schedule", "config": {"schedule": f"{i % step}/{step} * * * * *", "timezone": "UTC"}},
              "tasks": [{"id": "noop", "type": "conditional", "condition": "true", "then": [], "else": []}]}
        with open(os.path.join(folder, f"tick{i:02d}.workflow.json"), "w") as f:
            json.dump(wf, f)
    port = free_port()
    p = serve(workflow, folder, port)
    started = datetime.now(timezone.utc)
    time.sleep(ACCURACY_MINUTES * 60)
    ended = datetime.now(timezone.utc)  # the scheduler stops firing at SIGTERM
    stop(p)
    con = sqlite3.connect(os.path.join(folder, ".workflow", "state.db"))
    rows = con.execute("select workflow, json_extract(trigger_data, '$.scheduled_at'), started_at from executions where trigger = 'schedule'").fetchall()
    con.close()

    def parse(t):
        return datetime.fromisoformat(t.replace("Z", "+00:00"))
    delays = sorted((parse(s) - parse(a)).total_seconds() * 1000 for _, a, s in rows)
    seen = {}
    for w, a, _ in rows:
        seen.setdefault((w, a), 0)
        seen[(w, a)] += 1
    doubled = sum(n - 1 for n in seen.values() if n > 1)
    # Every fire time strictly inside the window (a second's margin at each end) must have run.
    missing = []
    for i in range(20):
        step = 3 + i % 3
        t = started.replace(microsecond=0) + timedelta(seconds=2)
        while t < ended - timedelta(seconds=2):
            if t.second % step == i % step and (f"tick{i:02d}", t.strftime("%Y-%m-%dT%H:%M:%S.000Z")) not in seen:
                missing.append(f"tick{i:02d}@{t:%H:%M:%S}")
            t += timedelta(seconds=1)
    missed = len(missing)
    if missing:
        print("missed: " + ", ".join(missing[:20]), file=sys.stderr)

    def pct(q):
        return delays[min(len(delays) - 1, int(q * len(delays)))]
    print("| Accuracy (20 six-field schedules, every 3-5 s, under workflow serve) | minutes | runs | start - scheduled p50 | p99 | max | missed | doubled |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| no-op workflows, state in SQLite | {ACCURACY_MINUTES:g} | {len(rows)} | {pct(0.5):.0f} ms | {pct(0.99):.0f} ms | {delays[-1]:.0f} ms | {missed} | {doubled} |")
    return 0 if missed == 0 and doubled == 0 else 1


def shutil_which(name):
    from shutil import which
    return which(name)


def main():
    args = sys.argv[1:]
    which = [a for a in args if a in ("webhooks", "schedules")]
    workflow = [a for a in args if a not in ("webhooks", "schedules")]
    status = 0
    if not which or "webhooks" in which:
        status |= webhooks(workflow)
        print()
    if not which or "schedules" in which:
        status |= schedules(workflow)
    sys.exit(status)


if __name__ == "__main__":
    main()
