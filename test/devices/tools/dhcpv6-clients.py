#!/usr/bin/python3
"""Writes a pcap of DHCPv6 client messages crafted with scapy, as these
clients send them (RFC 8415; option orders from the shared captures):
 - a Windows 10 PC: Solicit, DUID-LLT, vendor class 311 "MSFT 5.0",
   FQDN, ORO 24,23,17,39;
 - a Raspberry Pi running dhcpcd: Solicit, DUID-LL, vendor class 40712
   with its "dhcpcd-<ver>:<os>-<kernel>:<arch>:<hw>" string, user class,
   ORO 23,24,31,39,82,83;
 - a home router: Solicit with IA_PD (prefix delegation), DUID-LL;
 - a server's Reply assigning 2001:db8::10 to the Windows PC.
Usage: dhcpv6-clients.py OUT.pcap"""
import sys
from scapy.all import Ether, IPv6, UDP, wrpcap
from scapy.layers.dhcp6 import (
    DHCP6_Solicit, DHCP6_Reply, DHCP6OptClientId, DHCP6OptServerId, DHCP6OptElapsedTime,
    DHCP6OptIA_NA, DHCP6OptIAAddress, DHCP6OptIA_PD, DHCP6OptOptReq, DHCP6OptVendorClass,
    DHCP6OptUserClass, DHCP6OptClientFQDN, DUID_LLT, DUID_LL, VENDOR_CLASS_DATA, USER_CLASS_DATA,
)

ALL_SERVERS = "ff02::1:2"
WIN_MAC = "28:cf:e9:11:22:33"
PI_MAC = "b8:27:eb:44:55:66"
ROUTER_MAC = "00:0d:b9:77:88:99"
SERVER_MAC = "52:54:00:00:00:01"


def ll(mac):
    b = bytes.fromhex(mac.replace(":", ""))
    b = bytes([b[0] ^ 2]) + b[1:]
    h = b[:3].hex() + "fffe" + b[3:].hex()
    return "fe80::" + ":".join(h[i:i + 4].lstrip("0") or "0" for i in range(0, 16, 4))


def solicit(mac, *opts):
    msg = DHCP6_Solicit(trid=0x1234)
    for o in opts:
        msg = msg / o
    return Ether(src=mac, dst="33:33:00:01:00:02") / IPv6(src=ll(mac), dst=ALL_SERVERS) / UDP(sport=546, dport=547) / msg


windows = solicit(
    WIN_MAC,
    DHCP6OptElapsedTime(),
    DHCP6OptClientId(duid=DUID_LLT(lladdr=WIN_MAC, timeval=700000000)),
    DHCP6OptIA_NA(iaid=0x0e28cfe9),
    DHCP6OptClientFQDN(flags=0, fqdn="DESKTOP-V6W."),
    DHCP6OptVendorClass(enterprisenum=311, vcdata=[VENDOR_CLASS_DATA(data=b"MSFT 5.0")]),
    DHCP6OptOptReq(reqopts=[24, 23, 17, 39]),
)
pi = solicit(
    PI_MAC,
    DHCP6OptClientId(duid=DUID_LL(lladdr=PI_MAC)),
    DHCP6OptElapsedTime(),
    DHCP6OptVendorClass(
        enterprisenum=40712, vcdata=[VENDOR_CLASS_DATA(data=b"dhcpcd-6.11.5:Linux-4.1.18-v7+:armv7l:BCM2709")]
    ),
    DHCP6OptUserClass(userclassdata=[USER_CLASS_DATA(data=b"lab-pi")]),
    DHCP6OptIA_NA(iaid=1),
    DHCP6OptOptReq(reqopts=[23, 24, 31, 39, 82, 83]),
)
router = solicit(
    ROUTER_MAC,
    DHCP6OptClientId(duid=DUID_LL(lladdr=ROUTER_MAC)),
    DHCP6OptOptReq(reqopts=[23, 24]),
    DHCP6OptElapsedTime(),
    DHCP6OptIA_PD(iaid=1),
)
reply = (
    Ether(src=SERVER_MAC, dst=WIN_MAC)
    / IPv6(src=ll(SERVER_MAC), dst=ll(WIN_MAC))
    / UDP(sport=547, dport=546)
    / DHCP6_Reply(trid=0x1234)
    / DHCP6OptServerId(duid=DUID_LL(lladdr=SERVER_MAC))
    / DHCP6OptClientId(duid=DUID_LLT(lladdr=WIN_MAC, timeval=700000000))
    / DHCP6OptIA_NA(iaid=0x0e28cfe9, ianaopts=[DHCP6OptIAAddress(addr="2001:db8::10", preflft=3600, validlft=7200)])
)
for i, p in enumerate([windows, pi, router, reply]):
    p.time = 1700000000 + i
wrpcap(sys.argv[1], [windows, pi, router, reply])
