#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""rtexamples: the examples that take their filter on the command line,
xdpcount and pkttrace (examples/), on known traffic through a veth pair.

Makes two network namespaces, pcapf-rtex-PID-tx and -rx, joined by a veth
pair pfrxPIDt/pfrxPIDr with fixed MAC addresses, IPv4 and IPv6 addresses
and static neighbours (so no ARP or neighbour discovery mixes in). For
each case it starts the tool in the rx namespace, waits for the line that
says it is attached, sends from the tx namespace (this script again, under
`ip netns exec`) a fixed set of packets:

  UDP4 datagrams over IPv4 and UDP6 over IPv6, from port 40000 to 9999,
  NOISE datagrams to port 7777, PINGS ICMP echo requests,

stops the tool with SIGINT (or lets it stop itself, -n), and checks what
it printed: xdpcount's matched count exactly, its total at least what was
sent; pkttrace's lines, their number, interface, length and addresses.
A bad expression must give libpcap's message and a non-zero exit, in both.

  rtexamples_test.py XDPCOUNT PKTTRACE

Needs root, BPF, kernel BTF and iproute2; without them it fails (it never
skips). The namespaces go at the end, on failure, and on SIGINT, SIGTERM
and SIGHUP.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

PID = os.getpid()
NS_TX, NS_RX = f"pcapf-rtex-{PID}-tx", f"pcapf-rtex-{PID}-rx"
IF_TX, IF_RX = f"pfrx{PID}t", f"pfrx{PID}r"
MAC_TX, MAC_RX = "02:70:63:72:74:01", "02:70:63:72:74:02"
IP4_TX, IP4_RX = "10.203.0.1", "10.203.0.2"
IP6_TX, IP6_RX = "fd70:6366:7274::1", "fd70:6366:7274::2"
SPORT, DPORT, NOISE_PORT = 40000, 9999, 7777
UDP4, UDP6, NOISE, PINGS = 5, 3, 4, 4
PAYLOAD = b"pcapfilter-rtexamples"  # UDP payload: frame length 14 + IP + 8 + 21
SENT = UDP4 + UDP6 + NOISE + PINGS

failures = 0
checks = 0


def check(cond, what):
    global failures, checks
    checks += 1
    if not cond:
        failures += 1
        print(f"FAIL {what}", flush=True)
    return cond


def send():
    """In the tx namespace: the fixed traffic."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((IP4_TX, SPORT))
        for _ in range(UDP4):
            s.sendto(PAYLOAD, (IP4_RX, DPORT))
        for _ in range(NOISE):
            s.sendto(PAYLOAD, (IP4_RX, NOISE_PORT))
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        s.bind((IP6_TX, SPORT))
        for _ in range(UDP6):
            s.sendto(PAYLOAD, (IP6_RX, DPORT))
    with socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP) as s:
        for seq in range(PINGS):
            echo = bytearray(b"\x08\x00\x00\x00" + PID.to_bytes(2, "big")[-2:] +
                             seq.to_bytes(2, "big") + PAYLOAD)
            if len(echo) % 2:
                echo.append(0)
            total = sum(int.from_bytes(echo[i:i + 2], "big") for i in range(0, len(echo), 2))
            while total >> 16:
                total = (total & 0xFFFF) + (total >> 16)
            echo[2:4] = (~total & 0xFFFF).to_bytes(2, "big")
            s.sendto(bytes(echo), (IP4_RX, 0))


def ip(*args):
    print("+ ip " + " ".join(args), flush=True)
    subprocess.run(["ip", *args], check=True)


def cleanup():
    for ns in (NS_TX, NS_RX):
        subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)


def setup():
    ip("netns", "add", NS_TX)
    ip("netns", "add", NS_RX)
    ip("link", "add", IF_TX, "netns", NS_TX, "address", MAC_TX, "type", "veth",
       "peer", "name", IF_RX, "netns", NS_RX, "address", MAC_RX)
    for ns, dev, me, peer, peer_mac in ((NS_TX, IF_TX, (IP4_TX, IP6_TX), (IP4_RX, IP6_RX), MAC_RX),
                                        (NS_RX, IF_RX, (IP4_RX, IP6_RX), (IP4_TX, IP6_TX), MAC_TX)):
        ip("-n", ns, "addr", "add", me[0] + "/24", "dev", dev)
        ip("-n", ns, "addr", "add", me[1] + "/64", "dev", dev, "nodad")
        ip("-n", ns, "link", "set", dev, "up")
        for addr in peer:
            ip("-n", ns, "neigh", "add", addr, "lladdr", peer_mac, "dev", dev, "nud", "permanent")
    out = subprocess.run(["ip", "-n", NS_RX, "-o", "link", "show", IF_RX], check=True,
                         capture_output=True, text=True).stdout
    return int(out.split(":")[0])


class Tool:
    """A tool running in the rx namespace. Threads collect its stdout and
    stderr; the stderr one also says when the tool has attached."""

    def __init__(self, argv, ready):
        print("+ " + " ".join(argv), flush=True)
        self.proc = subprocess.Popen(["ip", "netns", "exec", NS_RX, *argv],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.ready_prefix = ready
        self.ready = threading.Event()
        self.lines = {"out": [], "err": []}
        self.readers = [threading.Thread(target=self._read, args=(pipe, name), daemon=True)
                        for pipe, name in ((self.proc.stdout, "out"), (self.proc.stderr, "err"))]
        for reader in self.readers:
            reader.start()

    def _read(self, pipe, name):
        for line in pipe:
            self.lines[name].append(line)
            if name == "err" and line.startswith(self.ready_prefix):
                self.ready.set()
        self.ready.set()  # it exited: stop waiting

    def wait_ready(self):
        return self.ready.wait(30) and self.proc.poll() is None

    def finish(self, stop=True):
        """Stop it (SIGINT) or wait for it to stop; (exit status, stdout, stderr)."""
        if stop and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            check(False, f"{self.proc.args[4]} did not stop: killed")
            self.proc.kill()
            self.proc.wait()
        for reader in self.readers:
            reader.join(5)
        out, err = "".join(self.lines["out"]), "".join(self.lines["err"])
        sys.stdout.write(out + err)
        return self.proc.returncode, out, err

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


running = []


def traffic():
    subprocess.run(["ip", "netns", "exec", NS_TX, sys.executable, os.path.abspath(__file__),
                    "--send"], check=True)
    time.sleep(0.5)  # veth delivers from a softirq: let the last packets through


def run_tool(argv, ready, stop=True):
    tool = Tool(argv, ready)
    running.append(tool)
    if tool.wait_ready():
        traffic()
    else:
        check(False, f"{argv[0]} did not attach")
    result = tool.finish(stop)
    running.remove(tool)
    return result


def xdpcount_case(xdpcount, opts, words, expected):
    """xdpcount OPTS IF_RX WORDS...: it must count expected matches."""
    expr = " ".join(words)
    rc, out, err = run_tool([xdpcount, *opts, IF_RX, *words], "xdpcount: counting on")
    m = re.search(r"^xdpcount: \S+: matched (\d+) of (\d+) packets, filter '(.*)'$", out, re.M)
    if not check(rc == 0 and m, f"xdpcount '{expr}': exit {rc}, no totals line"):
        return
    matched, total = int(m.group(1)), int(m.group(2))
    check(m.group(3) == expr, f"xdpcount: filter '{m.group(3)}', expected '{expr}'")
    check(matched == expected, f"xdpcount '{expr}': matched {matched}, expected {expected}")
    check(total >= SENT, f"xdpcount '{expr}': total {total}, fewer than the {SENT} sent")
    print(f"ok   xdpcount '{expr}': matched {matched} (expected {expected}) of {total}", flush=True)


def pkttrace_case(pkttrace, rx_ifindex, opts, words, expected, stop=True):
    """pkttrace -i IF_RX OPTS WORDS...: the lines must be expected, (src, dst) each."""
    expr = " ".join(words)
    rc, out, err = run_tool([pkttrace, "-i", IF_RX, *opts, *words], "pkttrace: tracing", stop)
    check(rc == 0, f"pkttrace '{expr}': exit {rc}")
    line_re = re.compile(r"^0x(ffff[0-9a-f]{12})  netns (\d+)  ifindex (\d+)  len (\d+)  "
                         r"linear (\d+)  (\S+) > (\S+) (\S+)$")
    seen = []
    for line in out.splitlines():
        m = line_re.match(line)
        if not check(m, f"pkttrace '{expr}': line not as expected: {line!r}"):
            continue
        ifindex, length, linear = int(m.group(3)), int(m.group(4)), int(m.group(5))
        src, dst, proto = m.group(6), m.group(7), m.group(8)
        check(ifindex == rx_ifindex, f"pkttrace: ifindex {ifindex}, expected {rx_ifindex}")
        v6 = ":" in src
        want_len = 14 + (40 if v6 else 20) + 8 + len(PAYLOAD)
        check(length == want_len and linear == want_len,
              f"pkttrace: len {length} linear {linear}, expected {want_len}")
        check(proto == "UDP", f"pkttrace: protocol {proto}, expected UDP")
        seen.append((src, dst))
    want = sorted(expected)
    check(sorted(seen) == want, f"pkttrace '{expr}': packets {sorted(seen)}, expected {want}")
    check(re.search(rf"^pkttrace: {len(expected)} packets, 0 lost$", err, re.M),
          f"pkttrace '{expr}': no line 'pkttrace: {len(expected)} packets, 0 lost'")
    print(f"ok   pkttrace '{expr}': {len(seen)} lines (expected {len(expected)})", flush=True)


def error_case(argv, status, message):
    """A run that must fail before it attaches, with status and message."""
    r = subprocess.run(["ip", "netns", "exec", NS_RX, *argv], capture_output=True, text=True,
                       timeout=60)
    check(r.returncode == status and message in r.stderr,
          f"{argv}: exit {r.returncode}, stderr {r.stderr!r}; expected exit {status} and "
          f"'{message}'")
    print(f"ok   {' '.join(argv[1:])}: exit {r.returncode}: {r.stderr.strip()}", flush=True)


def main():
    if sys.argv[1:] == ["--send"]:
        send()
        return 0
    if len(sys.argv) != 3:
        print("usage: rtexamples_test.py XDPCOUNT PKTTRACE", file=sys.stderr)
        return 2
    xdpcount, pkttrace = sys.argv[1:]
    if os.geteuid() != 0:
        print("FAIL rtexamples needs root (network namespaces, BPF)")
        return 1
    if not shutil.which("ip"):
        print("FAIL rtexamples needs the ip command (iproute2)")
        return 1

    def on_signal(sig, _frame):
        raise SystemExit(f"rtexamples: signal {sig}")

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    try:
        rx_ifindex = setup()
        udp4 = [(f"{IP4_TX}.{SPORT}", f"{IP4_RX}.{DPORT}")] * UDP4
        udp6 = [(f"{IP6_TX}.{SPORT}", f"{IP6_RX}.{DPORT}")] * UDP6

        xdpcount_case(xdpcount, [], [f"udp port {DPORT}"], UDP4 + UDP6)
        xdpcount_case(xdpcount, [], ["icmp"], PINGS)
        xdpcount_case(xdpcount, [], [f"udp port {DPORT - 1}"], 0)
        # Generic XDP, and the expression in several arguments.
        xdpcount_case(xdpcount, ["-S"], ["ip6", "and", "udp", "port", str(DPORT)], UDP6)

        pkttrace_case(pkttrace, rx_ifindex, [], [f"udp port {DPORT}"], udp4 + udp6)
        pkttrace_case(pkttrace, rx_ifindex, [], [f"udp port {NOISE_PORT + 1}"], [])
        # Stops by itself after two packets; the expression in several arguments.
        pkttrace_case(pkttrace, rx_ifindex, ["-n", "2"],
                      ["ip", "and", "udp", "dst", "port", str(DPORT)], udp4[:2], stop=False)

        error_case([xdpcount, IF_RX, "udp", "prot", str(DPORT)], 1,
                   f"xdpcount: bad filter 'udp prot {DPORT}': ")
        error_case([xdpcount, IF_RX, "udp port 99999"], 1, "illegal port number 99999")
        error_case([pkttrace, "udp", "prot", str(DPORT)], 1,
                   f"pkttrace: bad filter 'udp prot {DPORT}': ")
        error_case([pkttrace, "tcp[tcpflags] & tcp-bogus != 0"], 1, "pkttrace: bad filter")
        error_case([xdpcount, "pfrx-nosuch", "udp"], 1, "xdpcount: no interface pfrx-nosuch")
        error_case([xdpcount, IF_RX], 2, "usage: xdpcount")
        error_case([pkttrace], 2, "usage: pkttrace")
    except (subprocess.CalledProcessError, OSError) as e:
        check(False, f"setup or traffic: {e}")
    finally:
        for tool in running:
            tool.kill()
        cleanup()
    print(f"rtexamples: {checks - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
