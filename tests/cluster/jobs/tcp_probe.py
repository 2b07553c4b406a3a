"""TCP connect probes for tests/cluster/network.ts, run with `python3 -c` inside a pod.

argv[1]: JSON list of [host, port]; argv[2] (optional): timeout in seconds (default 3).
Prints a JSON list, one entry per probe in order:
[host, port, outcome, milliseconds, detail], outcome one of
open | refused | timeout | unreachable | dns | error.
"""
import errno
import json
import socket
import sys
import threading
import time

targets = json.loads(sys.argv[1])
timeout = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
results = [None] * len(targets)


def probe(i, host, port):
    start = time.time()
    outcome, detail = "error", ""
    try:
        address = socket.getaddrinfo(host, port, socket.AF_INET, socket.SOCK_STREAM)[0][4]
    except socket.gaierror as e:
        results[i] = [host, port, "dns", int((time.time() - start) * 1000), str(e)]
        return
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(address)
        outcome = "open"
    except socket.timeout:
        outcome = "timeout"
    except ConnectionRefusedError:
        outcome = "refused"
    except OSError as e:
        outcome = "unreachable" if e.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH) else "error"
        detail = str(e)
    finally:
        s.close()
    results[i] = [host, port, outcome, int((time.time() - start) * 1000), detail]


threads = [threading.Thread(target=probe, args=(i, h, p)) for i, (h, p) in enumerate(targets)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps(results))
