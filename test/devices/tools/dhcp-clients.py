#!/usr/bin/python3
"""DHCP clients as each OS sends them (option 55 in its order, 60, 57, 61, 12),
crafted with scapy: DISCOVER, then REQUEST for the offered address. Used by
test/devices/dhcp-netns.test.ts inside a network namespace only.

Usage: dhcp-clients.py IFACE PROFILE... ; prints "profile mac ip" per lease.
Option lists: Windows 10/11, macOS 12+, iOS 15+ and Android 13 as they appear
in public captures (see src/devices/fingerprints/dhcp-rules.ts), Linux
NetworkManager (test_android_tethering_renew.pcap), HP JetDirect (HP docs).
"""
import sys
from scapy.all import BOOTP, DHCP, IP, UDP, Ether, conf, mac2str, srp1

conf.verb = 0
conf.checkIPaddr = False  # DHCP answers come from the server to broadcast

PROFILES = {
    "windows": dict(mac="00:15:5d:01:02:03", host="DESKTOP-4F7K2QX", vendor="MSFT 5.0",
                    prl=[1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252], maxsize=None),
    "macos": dict(mac="a4:83:e7:01:02:03", host="Annas-MacBook-Pro", vendor=None,
                  prl=[1, 121, 3, 6, 15, 108, 114, 119, 252, 95, 44, 46], maxsize=1500),
    "ios": dict(mac="5a:11:22:33:44:55", host="Annas-iPhone", vendor=None,
                prl=[1, 121, 3, 6, 15, 108, 114, 119, 252], maxsize=1500),
    "android": dict(mac="7e:11:22:33:44:66", host="Pixel-7", vendor="android-dhcp-13",
                    prl=[1, 3, 6, 15, 26, 28, 51, 58, 59, 43, 114, 108], maxsize=1500),
    "linux": dict(mac="d4:be:d9:01:02:03", host="fedora-laptop", vendor=None,
                  prl=[1, 2, 6, 12, 15, 26, 28, 121, 3, 33, 40, 41, 42, 119, 249, 252, 17], maxsize=576),
    "printer": dict(mac="a0:d3:c1:11:22:33", host="NPI3A4B5C", vendor="Hewlett-Packard JetDirect",
                    prl=[1, 3, 44, 6, 7, 12, 15, 22, 54, 58, 59, 69, 18, 144], maxsize=None),
}


def options(p, msg_type, extra):
    opts = [("message-type", msg_type), ("client_id", b"\x01" + mac2str(p["mac"]))]
    opts += extra
    opts.append(("hostname", p["host"].encode()))
    if p["vendor"]:
        opts.append(("vendor_class_id", p["vendor"].encode()))
    if p["maxsize"]:
        opts.append(("max_dhcp_size", p["maxsize"]))
    opts.append(("param_req_list", p["prl"]))
    opts.append("end")
    return opts


def frame(p, xid, opts):
    return (Ether(src=p["mac"], dst="ff:ff:ff:ff:ff:ff") / IP(src="0.0.0.0", dst="255.255.255.255")
            / UDP(sport=68, dport=67) / BOOTP(chaddr=mac2str(p["mac"]), xid=xid, flags=0x8000)
            / DHCP(options=opts))


def lease(iface, name, xid):
    p = PROFILES[name]
    offer = srp1(frame(p, xid, options(p, "discover", [])), iface=iface, timeout=5,
                 filter="udp and port 68")
    if offer is None or BOOTP not in offer:
        raise SystemExit(f"{name}: no offer")
    ip = offer[BOOTP].yiaddr
    server = next(v for k, v, *_ in (o if isinstance(o, tuple) else (o, None)
                                    for o in offer[DHCP].options) if k == "server_id")
    req = options(p, "request", [("requested_addr", ip), ("server_id", server)])
    ack = srp1(frame(p, xid, req), iface=iface, timeout=5, filter="udp and port 68")
    if ack is None:
        raise SystemExit(f"{name}: no ack")
    print(name, p["mac"], ip, flush=True)


if __name__ == "__main__":
    for i, n in enumerate(sys.argv[2:]):
        lease(sys.argv[1], n, 0x1000 + i)
