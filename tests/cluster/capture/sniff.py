"""Packet capture of the live suite's plaintext check (tests/cluster/plaintextCapture.ts).

Run inside a node's network namespace (`ip netns exec <node> python3 sniff.py ...`): it
reads every frame on every interface there but loopback (the CNI bridge, each pod's veth,
also those made after it started, the links to the host and the other nodes) with an
AF_PACKET socket, the way tcpdump would, and counts the frames whose bytes contain each
marker. Loopback is the node's own API server and etcd, which hold the job pods' specs
(the marker is in their environment): not the pod network. It also sums TCP payload bytes per flow, so the
caller can tell that the capture saw the connections it is about (a capture that saw
nothing proves nothing).

Arguments: --marker M (repeatable), --seconds S (the most it runs). It stops early on
SIGTERM or SIGINT, then prints one line `CAPTURE {json}`:
  frames, bytes        every frame read
  drops                frames the kernel dropped before this socket read them
  markers              {marker: frames containing it}
  markerFlows          {marker: {"src:port>dst:port": frames containing it}}; frames that are
                       not IPv4/TCP count under "other"
  flows                {"src:port>dst:port": TCP payload bytes}, IPv4 only
  interfaces           the interfaces frames were read on
"""
import argparse
import json
import signal
import socket
import struct
import time

ETH_P_ALL = 0x0003
SO_RCVBUFFORCE = 33
SOL_PACKET = 263
PACKET_STATISTICS = 6
ETH_HEADER = 14
ETH_P_IP = 0x0800
IPPROTO_TCP = 6


def flow_of(frame):
    """`src:port>dst:port` and the TCP payload length of an IPv4/TCP Ethernet frame, else None."""
    if len(frame) < ETH_HEADER + 20 or struct.unpack("!H", frame[12:14])[0] != ETH_P_IP:
        return None
    ip = frame[ETH_HEADER:]
    header = (ip[0] & 0x0F) * 4
    if ip[9] != IPPROTO_TCP or len(ip) < header + 20:
        return None
    total = struct.unpack("!H", ip[2:4])[0]
    tcp = ip[header:]
    sport, dport = struct.unpack("!HH", tcp[0:4])
    payload = total - header - (tcp[12] >> 4) * 4
    src = socket.inet_ntoa(ip[12:16])
    dst = socket.inet_ntoa(ip[16:20])
    return "%s:%d>%s:%d" % (src, sport, dst, dport), max(payload, 0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--marker", action="append", default=[])
    parser.add_argument("--seconds", type=float, default=600)
    args = parser.parse_args()
    markers = [m.encode() for m in args.marker]

    stop = {"now": False}

    def on_signal(_signum, _frame):
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    # Past net.core.rmem_max (root may): a burst of shuffle traffic must not be dropped.
    sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 64 * 1024 * 1024)
    sock.settimeout(0.5)
    frames = 0
    total = 0
    seen_on = set()
    hits = {m.decode(): 0 for m in markers}
    marker_flows = {m.decode(): {} for m in markers}
    flows = {}
    print("CAPTURE-READY", flush=True)
    deadline = time.monotonic() + args.seconds
    while not stop["now"] and time.monotonic() < deadline:
        try:
            frame, address = sock.recvfrom(262144)
        except (socket.timeout, InterruptedError):
            continue
        if address[0] == "lo":
            continue
        seen_on.add(address[0])
        frames += 1
        total += len(frame)
        flow = flow_of(frame)
        for m in markers:
            if m in frame:
                name = m.decode()
                hits[name] += 1
                where = flow[0] if flow else "other"
                marker_flows[name][where] = marker_flows[name].get(where, 0) + 1
        if flow and flow[1] > 0:
            flows[flow[0]] = flows.get(flow[0], 0) + flow[1]
    received, dropped = struct.unpack("II", sock.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8))
    print("CAPTURE " + json.dumps({
        "frames": frames,
        "bytes": total,
        "drops": dropped,
        "kernelFrames": received,
        "markers": hits,
        "markerFlows": marker_flows,
        "flows": flows,
        "interfaces": sorted(seen_on),
    }), flush=True)


if __name__ == "__main__":
    main()
