"""The load generator of scripts/soak.sh: C keep-alive connections against a running
`signet serve` of the house-price model for DURATION seconds, 90% valid requests and 10%
hostile ones; the server's RSS sampled every second from /proc/PID/status.

Valid: a 1-row dataframe_split body (latency recorded). Hostile, in turn: deep nesting,
huge numbers, invalid UTF-8, a wrong content type, a stalled upload (headers and part of
the body, then a pause, then the connection closed by us), a 100,000-column body (at most
one in flight: it is meant to probe, not to saturate).

A dropped connection is one the server closed or reset before answering a complete
request. Prints per-10-second lines, then a summary and a PASS/FAIL verdict; exit 1 on FAIL.
Pure standard library (asyncio streams), no third-party client.
"""
import argparse
import asyncio
import json
import random
import statistics
import sys
import time

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
p.add_argument("--pid", type=int, required=True)
p.add_argument("--duration", type=float, default=600)
p.add_argument("--concurrency", type=int, default=64)
p.add_argument("--warmup", type=float, default=30)
p.add_argument("--rss-csv", default=None)
args = p.parse_args()

HOST = "127.0.0.1"


def request(body, content_type="application/json", path="/invocations"):
    head = (f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


VALID = request(json.dumps({"dataframe_split": {"columns": ["sqft", "bedrooms"], "data": [[1500, 3]]}}).encode())
DEEP = request(b'{"inputs": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
HUGE = request(b'{"dataframe_split": {"columns": ["sqft", "bedrooms"], "data": [[1e999999, '
               + b"9" * 5000 + b"]]}}")
BAD_UTF8 = request(b'{"dataframe_split": {"columns": ["sqft\xff\xfe", "bedrooms"], "data": [[1, 2]]}}')
WRONG_CT = request(b"sqft=1500&bedrooms=3", "application/x-www-form-urlencoded")
WIDE_COLS = [f"c{i}" for i in range(100_000)]
WIDE = request(json.dumps({"dataframe_split": {"columns": WIDE_COLS, "data": [[1] * len(WIDE_COLS)]}}).encode())
HOSTILE = ["deep", "huge", "utf8", "ctype", "stall", "wide"]
BODIES = {"deep": DEEP, "huge": HUGE, "utf8": BAD_UTF8, "ctype": WRONG_CT, "wide": WIDE}

status_counts = {}
hostile_counts = {}
valid_lat = []  # (t_since_start, seconds)
drops = 0
errors = []
wide_in_flight = False
wide_times = []
START = time.monotonic()


class Dropped(Exception):
    pass


async def read_response(reader):
    line = await reader.readline()
    if not line:
        raise Dropped("connection closed before the status line")
    status = int(line.split()[1])
    length, chunked, close = 0, False, False
    while True:
        h = await reader.readline()
        if not h:
            raise Dropped("connection closed in the headers")
        if h in (b"\r\n", b"\n"):
            break
        k, _, v = h.decode("latin-1").partition(":")
        k, v = k.strip().lower(), v.strip().lower()
        if k == "content-length":
            length = int(v)
        elif k == "transfer-encoding" and "chunked" in v:
            chunked = True
        elif k == "connection" and v == "close":
            close = True
    if chunked:
        while True:
            size = int((await reader.readline()).strip() or b"0", 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(length)
    return status, close


async def connect():
    return await asyncio.open_connection(HOST, args.port)


async def stall():
    """Headers and a tenth of the body, a 2 s pause, then we close: no answer is expected."""
    try:
        r, w = await connect()
        body = VALID.split(b"\r\n\r\n", 1)[1]
        head = VALID.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
        w.write(head + body[: len(body) // 10])
        await w.drain()
        await asyncio.sleep(2)
        w.close()
    except OSError as e:
        errors.append(f"stall: {e}")


async def worker(deadline):
    global drops, wide_in_flight
    reader = writer = None
    while time.monotonic() < deadline:
        kind = "valid" if random.random() < 0.9 else random.choice(HOSTILE)
        if kind == "stall":
            hostile_counts["stall"] = hostile_counts.get("stall", 0) + 1
            asyncio.ensure_future(stall())
            continue
        if kind == "wide":
            if wide_in_flight:
                kind = "huge"
            else:
                wide_in_flight = True
        try:
            if writer is None:
                reader, writer = await connect()
            t0 = time.monotonic()
            writer.write(VALID if kind == "valid" else BODIES[kind])
            await writer.drain()
            status, close = await asyncio.wait_for(read_response(reader), 120)
            dt = time.monotonic() - t0
            status_counts[status] = status_counts.get(status, 0) + 1
            if kind == "valid":
                valid_lat.append((t0 - START, dt))
            else:
                hostile_counts[kind] = hostile_counts.get(kind, 0) + 1
            if kind == "wide":
                wide_times.append(dt)
            if close:
                writer.close()
                writer = None
        except (Dropped, ConnectionError, asyncio.IncompleteReadError, asyncio.TimeoutError, OSError) as e:
            drops += 1
            errors.append(f"{kind}: {type(e).__name__}: {e}")
            if writer is not None:
                writer.close()
            writer = None
        finally:
            if kind == "wide":
                wide_in_flight = False


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def p99(xs):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(0.99 * len(xs)))]


async def monitor(deadline, rss):
    last_n = 0
    while time.monotonic() < deadline:
        await asyncio.sleep(1)
        t = time.monotonic() - START
        rss.append((t, rss_kb(args.pid)))
        if int(t) % 10 == 0:
            window = [d for (s, d) in valid_lat[last_n:]]
            last_n = len(valid_lat)
            print(f"t={t:5.0f}s valid={len(valid_lat):8d} p99(10s)={p99(window)*1e3:7.2f} ms "
                  f"rss={rss[-1][1]/1024:7.1f} MB statuses={dict(sorted(status_counts.items()))} drops={drops}",
                  flush=True)


async def main():
    deadline = START + args.duration
    rss = []
    await asyncio.gather(monitor(deadline, rss), *(worker(deadline) for _ in range(args.concurrency)))
    await asyncio.sleep(2.5)  # let the stalled uploads finish
    return rss


rss = asyncio.run(main())
elapsed = time.monotonic() - START
if args.rss_csv:
    with open(args.rss_csv, "w") as f:
        f.write("t_s,rss_kb\n" + "".join(f"{t:.1f},{k}\n" for t, k in rss))

after = [d for (s, d) in valid_lat if s >= args.warmup]
windows = {}
for s, d in valid_lat:
    if s >= args.warmup:
        windows.setdefault(int(s // 10), []).append(d)
window_p99 = [p99(w) for w in windows.values() if len(w) >= 100]
post = [k for (t, k) in rss if t >= args.warmup]
fifth = max(1, len(post) // 5)
rss_start = statistics.median(post[:fifth]) if post else 0
rss_end = statistics.median(post[-fifth:]) if post else 0
growth = rss_end - rss_start
bad_status = {s: n for s, n in status_counts.items() if not (200 <= s < 300 or 400 <= s < 500 or s == 503)}

checks = {
    "RSS flat after warm-up (growth <= max(5 MB, 5%))": growth <= max(5 * 1024, 0.05 * rss_start),
    "only 2xx/4xx/503": not bad_status,
    "no dropped connection": drops == 0,
    "valid p99 < 10 ms (whole run after warm-up)": p99(after) < 0.010,
    "valid p99 < 10 ms in every 10 s window": bool(window_p99) and max(window_p99) < 0.010,
}
print()
print(f"duration {elapsed:.0f} s (warm-up {args.warmup:.0f} s), concurrency {args.concurrency}")
print(f"requests: {sum(status_counts.values())} answered ({sum(status_counts.values())/elapsed:.0f}/s), "
      f"valid {len(valid_lat)}, hostile {dict(sorted(hostile_counts.items()))}")
print(f"statuses: {dict(sorted(status_counts.items()))}; dropped connections: {drops}")
if after:
    q = sorted(after)
    print(f"valid latency after warm-up: p50 {q[len(q)//2]*1e3:.2f} ms, p99 {p99(after)*1e3:.2f} ms, "
          f"max {q[-1]*1e3:.2f} ms; worst 10 s window p99 {max(window_p99)*1e3 if window_p99 else float('nan'):.2f} ms")
if wide_times:
    print(f"100k-column bodies: {len(wide_times)} answered, median {statistics.median(wide_times):.2f} s, max {max(wide_times):.2f} s")
print(f"RSS: after warm-up {rss_start/1024:.1f} MB, at the end {rss_end/1024:.1f} MB "
      f"(growth {growth/1024:+.1f} MB), max {max(k for _, k in rss)/1024:.1f} MB")
for e in errors[:5]:
    print("  drop:", e)
for name, ok in checks.items():
    print(f"  [{'ok' if ok else 'FAIL'}] {name}")
verdict = all(checks.values())
print("VERDICT:", "PASS" if verdict else "FAIL")
sys.exit(0 if verdict else 1)
