#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seed corpora of tests/fuzz/corpus/ (run from anywhere; the
committed seeds are its output, plus crash regressions added by hand).

plist:   the plists of tests/data and plists/, and one using every key
         (also as a binary plist).
request: bootstrap requests in wire form (client-lib/wire.h), in the
              record format of fuzz-request.c.
control: bsctl requests in the record format of fuzz-control.c.
recv:    messages in wire form, in the format of fuzz-recv.c.
state:   restart states of every version (daemon/restart/state-format.c),
         after fuzz-state.c's option byte.
"""
import os
import plistlib
import struct
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(HERE, "corpus")

WIRE_MAGIC = 0x314D5342
COMPLEX = 0x80000000
RETURNED = 0x40000000
ONCONN = 0x20000000     # wire.h WIRE_BITS_ONCONN
PORT_RECEIVE, PORT_SEND, PORT_SEND_ONCE = 16, 17, 18
PORT_DESC, OOL_DESC = 0, 1
K_NULL, K_DEAD, K_SEND, K_SEND_ONCE, K_RECEIVE, K_MEMORY, K_OOL_INLINE, K_OOL_MEMFD = range(8)
F_MASTER = 1
NDR = bytes([0, 0, 0, 0, 1, 0, 0, 0])
# fuzz-fds.h kinds
FD_SEQPACKET, FD_MEMFD, FD_MEMFD_SHRINK, FD_MEMFD_FROZEN, FD_PIPE, FD_DEVNULL, FD_STREAM, FD_DUP = range(8)
FD_DUP_PEER = FD_DUP | 8


def bits(remote, local, complex_=False, returned=False):
    return remote | (local << 8) | (COMPLEX if complex_ else 0) | (RETURNED if returned else 0)


def desc(type_, kind, nfds, disposition=0, size=0, offset=0, flags=0):
    return struct.pack("<BBBBIQII", type_, disposition, kind, nfds, size, offset, flags, 0)


def message(msg_id, body, descs=(), reply=True, local=PORT_SEND, ool=b"", returned=False,
            reply_disp=PORT_SEND_ONCE, onconn=False, seq=0):
    """onconn: answer on the connection (WIRE_BITS_ONCONN), call number seq, reply bits kept."""
    ndesc = len(descs)
    nfds = (1 if reply else 0) + (1 if returned else 0) + sum(d[3] for d in descs)
    hdr = struct.pack("<IIiIIHHII", WIRE_MAGIC,
                      bits(reply_disp if reply or onconn else 0, local, ndesc > 0, returned) |
                      (ONCONN if onconn else 0),
                      msg_id, ndesc, nfds, 1 if reply else 0, seq, len(body), len(body) + len(ool))
    return hdr + b"".join(descs) + body + ool


def name_body(name):
    return NDR + name.encode().ljust(128, b"\0")


def request_record(datagram, fd_kinds):
    return struct.pack("<BH", len(fd_kinds), len(datagram)) + bytes(fd_kinds) + datagram


def control_record(id_, flags=0, signal=0, arg="", plist=b""):
    data = arg.encode() + b"\0" + plist
    return struct.pack("<BBBH", id_ - 700, flags, signal & 0xff, len(data)) + data


def recv_input(opts, fd_kinds, datagram, attach_queue_s=False):
    return bytes([opts, len(fd_kinds) | (8 if attach_queue_s else 0)]) + bytes(fd_kinds) + datagram


def write(harness, name, data):
    d = os.path.join(CORPUS, harness.replace("fuzz-", ""))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


FULL_PLIST = b"""<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
<key>Label</key><string>com.example.full</string>
<key>ProgramArguments</key><array><string>/bin/true</string><string>-x</string></array>
<key>EnvironmentVariables</key><dict><key>A</key><string>b</string></dict>
<key>MachServices</key><dict><key>com.example.full</key><dict><key>HideUntilCheckIn</key><true/><key>ResetAtClose</key><false/></dict></dict>
<key>KeepAlive</key><dict><key>SuccessfulExit</key><false/><key>Crashed</key><true/><key>PathState</key><dict><key>/tmp/x</key><true/></dict><key>OtherJobEnabled</key><dict><key>com.example.fuzz</key><true/></dict></dict>
<key>StartCalendarInterval</key><array><dict><key>Minute</key><integer>5</integer><key>Weekday</key><integer>1</integer></dict></array>
<key>StartInterval</key><integer>3600</integer>
<key>ThrottleInterval</key><integer>10</integer>
<key>ExitTimeOut</key><integer>5</integer>
<key>WatchPaths</key><array><string>/nonexistent/watched</string></array>
<key>QueueDirectories</key><array><string>/nonexistent/queue</string></array>
<key>SoftResourceLimits</key><dict><key>NumberOfFiles</key><integer>512</integer><key>Core</key><integer>0</integer></dict>
<key>HardResourceLimits</key><dict><key>Stack</key><integer>8388608</integer></dict>
<key>Nice</key><integer>5</integer><key>Umask</key><integer>18</integer>
<key>WorkingDirectory</key><string>/</string>
<key>StandardOutPath</key><string>/dev/null</string>
<key>StandardErrorPath</key><string>/dev/null</string>
<key>LaunchOnlyOnce</key><false/><key>AbandonProcessGroup</key><true/>
<key>Disabled</key><false/><key>RunAtLoad</key><false/>
<key>Data</key><data>aGVsbG8=</data><key>When</key><date>2026-01-01T00:00:00Z</date><key>Ratio</key><real>0.5</real>
</dict></plist>
"""

SIMPLE_PLIST = b"""<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict><key>Label</key><string>com.example.seed</string>
<key>Program</key><string>/bin/true</string>
<key>MachServices</key><dict><key>com.example.seed</key><true/></dict>
<key>RunAtLoad</key><true/></dict></plist>
"""


def plist_seeds():
    for base in (os.path.join(ROOT, "tests", "data"), os.path.join(ROOT, "plists")):
        for f in sorted(os.listdir(base)):
            if f.endswith(".plist") or f.endswith(".plist.in"):
                with open(os.path.join(base, f), "rb") as fh:
                    write("fuzz-plist", f[:-3] if f.endswith(".in") else f, fh.read())
    write("fuzz-plist", "full.plist", FULL_PLIST)
    write("fuzz-plist", "simple.plist", SIMPLE_PLIST)
    # The same jobs as binary plists, so the bplist00 reader is fuzzed too.
    for name, xml in (("full", FULL_PLIST), ("simple", SIMPLE_PLIST)):
        value = plistlib.loads(xml.encode() if isinstance(xml, str) else xml)
        write("fuzz-plist", name + ".bplist", plistlib.dumps(value, fmt=plistlib.FMT_BINARY))


def request_seeds():
    look_up = message(404, name_body("com.example.fuzz"))
    check_in = message(402, name_body("com.example.fuzz"))
    register = message(403, NDR + b"com.example.mine".ljust(128, b"\0"),
                       descs=[desc(PORT_DESC, K_SEND, 1, PORT_SEND)])
    unregister = message(403, NDR + b"com.example.mine".ljust(128, b"\0"),
                         descs=[desc(PORT_DESC, K_NULL, 0)])
    look_up_mine = message(404, name_body("com.example.mine"))
    write("fuzz-request", "look-up", b"\0" + request_record(look_up, [FD_SEQPACKET]))
    write("fuzz-request", "check-in", b"\4" + request_record(check_in, [FD_SEQPACKET]))
    write("fuzz-request", "register-look-up-unregister", b"\0" +
          request_record(register, [FD_SEQPACKET, FD_SEQPACKET]) +
          request_record(look_up_mine, [FD_SEQPACKET]) +
          request_record(unregister, [FD_SEQPACKET]))
    write("fuzz-request", "system-register", b"\1" +
          request_record(register, [FD_SEQPACKET, FD_SEQPACKET]))
    write("fuzz-request", "stranger-look-up", b"\2" + request_record(look_up, [FD_SEQPACKET]))
    write("fuzz-request", "no-reply", b"\0" + request_record(message(404, name_body("x"), reply=False), []))
    write("fuzz-request", "regress-empty-datagram-fds", b"\0" + request_record(b"", [FD_PIPE, FD_DEVNULL]))
    write("fuzz-request", "bad-id", b"\0" + request_record(message(0x7fffff00, b""), [FD_SEQPACKET]))
    on_conn = message(404, name_body("com.example.fuzz"), reply=False, onconn=True, seq=7)
    write("fuzz-request", "on-conn-look-up", b"\0" + request_record(on_conn, []) +
          request_record(message(404, name_body("x"), reply=False, onconn=True, seq=0xffff), []))
    write("fuzz-request", "on-conn-job-port", b"\4" + request_record(on_conn, []))
    write("fuzz-request", "on-conn-with-reply-right", b"\0" +
          request_record(message(404, name_body("x"), onconn=True, seq=1), [FD_SEQPACKET]))
    write("fuzz-request", "on-conn-check-in", b"\4" +
          request_record(message(402, name_body("com.example.fuzz"), reply=False, onconn=True,
                                 seq=2), []))
    body = NDR + struct.pack("<Ii", 0, 0) + b"".ljust(1024, b"\0")
    write("fuzz-request", "control-list", b"\0" + request_record(message(700, body), [FD_SEQPACKET]))


def control_seeds():
    write("fuzz-control", "load-print-list-blame-unload", b"\0" +
          control_record(702, arg="/p/seed.plist", plist=SIMPLE_PLIST) +
          control_record(701, arg="com.example.seed") +
          control_record(700, arg="") +
          control_record(710, arg="com.example.seed") +
          control_record(703, arg="com.example.seed"))
    write("fuzz-control", "load-full-json", b"\0" +
          control_record(702, arg="/p/full.plist", plist=FULL_PLIST) +
          control_record(701, flags=0x8, arg="com.example.full") +
          control_record(700, flags=0x8, arg=""))
    write("fuzz-control", "load-memfd-persist", b"\0" +
          control_record(702, flags=0x10 | 0x4, arg="/p/seed.plist", plist=SIMPLE_PLIST) +
          control_record(703, flags=0x4, arg="com.example.seed"))
    write("fuzz-control", "enable-disable-force", b"\0" +
          control_record(709, arg="com.example.seed") +
          control_record(702, arg="/p/seed.plist", plist=SIMPLE_PLIST) +
          control_record(702, flags=0x2, arg="/p/seed.plist", plist=SIMPLE_PLIST) +
          control_record(708, arg="com.example.seed"))
    write("fuzz-control", "start-stop-kickstart-kill", b"\0" +
          control_record(704, arg="com.example.fuzz") +
          control_record(705, arg="com.example.fuzz") +
          control_record(706, flags=0x1, arg="com.example.fuzz") +
          control_record(707, signal=15, arg="com.example.fuzz"))
    write("fuzz-control", "stranger-load", b"\2" +
          control_record(702, arg="/p/seed.plist", plist=SIMPLE_PLIST))
    write("fuzz-control", "job-port-print", b"\4" + control_record(701, arg="com.example.fuzz"))
    write("fuzz-control", "short-no-reply", b"\1" +
          control_record(701, flags=0x80 | 0x20, arg="com.example.fuzz"))


def recv_seeds():
    body = NDR + struct.pack("<i", 0) + b"hello\0\0\0"
    big = 6  # bits 1-2 = 3: a 128 KiB buffer
    write("fuzz-recv", "simple", recv_input(big, [], message(1000, body, reply=False)))
    write("fuzz-recv", "reply-send-once", recv_input(big, [FD_SEQPACKET], message(1000, body)))
    write("fuzz-recv", "reply-send", recv_input(big, [FD_SEQPACKET],
                                                message(1000, body, reply_disp=PORT_SEND)))
    write("fuzz-recv", "port-send", recv_input(big, [FD_SEQPACKET], message(
        1001, body, reply=False, descs=[desc(PORT_DESC, K_SEND, 1, PORT_SEND)])))
    write("fuzz-recv", "port-send-once", recv_input(big, [FD_SEQPACKET], message(
        1001, body, reply=False, descs=[desc(PORT_DESC, K_SEND_ONCE, 1, PORT_SEND_ONCE)])))
    write("fuzz-recv", "port-receive-master", recv_input(big, [FD_SEQPACKET, FD_DUP_PEER, FD_SEQPACKET],
                                                         message(1002, body, reply=False, descs=[
                                                             desc(PORT_DESC, K_RECEIVE, 3, PORT_RECEIVE,
                                                                  flags=F_MASTER)])))
    write("fuzz-recv", "port-send-and-receive", recv_input(big, [FD_SEQPACKET, FD_DUP_PEER, FD_DUP_PEER],
                                                           message(1002, body, reply=False, descs=[
                                                               desc(PORT_DESC, K_RECEIVE, 2, PORT_RECEIVE,
                                                                    flags=F_MASTER),
                                                               desc(PORT_DESC, K_SEND, 1, PORT_SEND)])))
    write("fuzz-recv", "null-dead", recv_input(big, [], message(
        1003, body, reply=False, descs=[desc(PORT_DESC, K_NULL, 0), desc(PORT_DESC, K_DEAD, 0)])))
    write("fuzz-recv", "memory-entry", recv_input(big, [FD_MEMFD_SHRINK | (2 << 3)], message(
        1004, body, reply=False, descs=[desc(PORT_DESC, K_MEMORY, 1, PORT_SEND, size=4096, flags=1)])))
    write("fuzz-recv", "ool-inline", recv_input(big, [], message(
        1005, body, reply=False, descs=[desc(OOL_DESC, K_OOL_INLINE, 0, size=8)], ool=b"ool-data")))
    write("fuzz-recv", "ool-memfd", recv_input(big, [FD_MEMFD_FROZEN | (2 << 3)], message(
        1006, body, reply=False, descs=[desc(OOL_DESC, K_OOL_MEMFD, 1, size=4096)])))
    write("fuzz-recv", "returned-on-queue", recv_input(big | 8, [], message(
        1007, body, reply=False, local=PORT_SEND_ONCE, returned=True), attach_queue_s=True))
    write("fuzz-recv", "too-large", recv_input(1, [FD_SEQPACKET], message(1000, body + b"x" * 64)))
    write("fuzz-recv", "too-large-dropped", recv_input(0, [FD_SEQPACKET], message(1000, body + b"x" * 64)))
    write("fuzz-recv", "audit-trailer", recv_input(big | (5 << 4), [FD_SEQPACKET], message(1000, body)))


STATE_VERSION = 8


def state_str(s):
    b = s.encode()
    return struct.pack("<I", len(b)) + b


def state_service(version, name, job, recv_id, send_id, checked_in, owner_pid=0, owner_uid=0,
                  release_id=-1, until_exit=False, owner_start=0, owner_pidfd_id=-1,
                  per_pid=False, dynamic=False, channels=()):
    out = state_str(name) + struct.pack("<B", job is not None) + state_str(job or "")
    out += struct.pack("<iiB", recv_id, send_id, checked_in)
    if version == 1:
        out += struct.pack("<B", checked_in)
    out += struct.pack("<iI", owner_pid, owner_uid)
    if version >= 2:
        out += struct.pack("<i", release_id)
    if version >= 3:
        out += struct.pack("<BQ", until_exit, owner_start)
    if version >= 4:
        out += struct.pack("<i", owner_pidfd_id)
    if version >= 5:
        out += struct.pack("<B", per_pid)
    if version >= 7:
        out += struct.pack("<B", dynamic)
    if version >= 8:
        out += struct.pack("<I", len(channels))
        out += b"".join(struct.pack("<iiB", fd_id, id_, retired) for fd_id, id_, retired in channels)
    return out


def state_job(version, label, failure, state, pid, proc_start, conn_id, listeners=()):
    out = (state_str(label) + state_str(failure) +
           struct.pack("<BBBBBiQqqIIii", state, 0, 0, 0, 0, pid, proc_start, 100, 5, 1, 0, 0,
                       conn_id))
    if version >= 6:
        out += struct.pack("<I", len(listeners))
        out += b"".join(state_str(name) + struct.pack("<IIi", entry, pos, fd_id)
                        for name, entry, pos, fd_id in listeners)
    return out


def state_bytes(version, generation, registered_pidfd):
    """A state as a daemon of @version writes it (state_encode_as())."""
    # version 8: the port's channels, one waiting for its OFFER to be read, one retired
    services = [state_service(version, "com.example.a", "com.example.job", 7, 8, True,
                              release_id=13 if version >= 2 else -1,
                              channels=[(22, 1, False), (23, 2, True)]),
                state_service(version, "com.example.lazy", "com.example.job", -1, -1, False),
                state_service(version, "com.example.reg", None, -1, 9, False, owner_pid=4242,
                              owner_uid=1000, until_exit=version >= 3, owner_start=555,
                              owner_pidfd_id=14 if registered_pidfd and version >= 4 else -1,
                              per_pid=version >= 5)]
    if version >= 7 and registered_pidfd:
        # a name a dynamic check-in made: its port, release request and owner's pidfd
        services.append(state_service(version, "com.example.dyn", None, 18, 19, True,
                                      owner_pid=4243, owner_uid=1000, release_id=20,
                                      until_exit=True, owner_pidfd_id=21, dynamic=True,
                                      channels=[(24, 3, True)]))
    jobs = [state_job(version, "com.example.job", "", 2, 1234, 987654, 10,
                      [("Listeners", 0, 0, 15), ("Listeners", 0, 1, 16)]),
            state_job(version, "com.example.broken", "cannot exec", 4, 0, 0, -1)]
    clients = [11, 12]
    payload = struct.pack("<iQi", 99, 1024, 6)
    payload += struct.pack("<I", len(services)) + b"".join(services)
    payload += struct.pack("<I", len(jobs)) + b"".join(jobs)
    payload += struct.pack("<I", len(clients)) + b"".join(struct.pack("<i", c) for c in clients)
    if version >= 5:
        env = [("LANG", "C", ""), ("SECURE_SOCKET", "/tmp/x/a", "com.example.job")]
        payload += struct.pack("<I", len(env))
        payload += b"".join(state_str(k) + state_str(v) + state_str(j) for k, v, j in env)
    tail = struct.pack("<QQ", len(payload), generation) + payload
    return b"BSDSTATE" + struct.pack("<II", version, zlib.crc32(tail)) + tail


def state_seeds():
    for version in range(1, STATE_VERSION + 1):
        write("fuzz-state", "v%d" % version, b"\0" + state_bytes(version, 3, True))
    write("fuzz-state", "v%d-no-pidfd" % STATE_VERSION, b"\0" + state_bytes(STATE_VERSION, 4, False))
    # the header kept as written: checked as the daemon checks it
    write("fuzz-state", "v%d-header-kept" % STATE_VERSION, b"\1" + state_bytes(STATE_VERSION, 5, True))


def main():
    plist_seeds()
    request_seeds()
    control_seeds()
    recv_seeds()
    state_seeds()
    return 0


if __name__ == "__main__":
    sys.exit(main())
