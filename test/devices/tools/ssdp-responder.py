#!/usr/bin/python3
"""A UPnP device for tests: answers SSDP M-SEARCH (UDA 2.0 §1.3.3), sends a
NOTIFY at start, serves its description XML over HTTP. Runs inside a test
network namespace only. Usage: ssdp-responder.py ADDRESS HTTP_PORT
"""
import socket
import struct
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

ADDR, PORT = sys.argv[1], int(sys.argv[2])
GROUP = "239.255.255.250"
DEVICE_TYPE = "urn:schemas-upnp-org:device:MediaRenderer:1"
LOCATION = f"http://{ADDR}:{PORT}/description.xml"
USN = "uuid:11111111-2222-3333-4444-555555555555"
SERVER = "Linux/5.10 UPnP/1.0 TestTV/1.0"
XML = f"""<?xml version="1.0"?>
<root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>0</minor></specVersion>
<device><deviceType>{DEVICE_TYPE}</deviceType><friendlyName>Living Room TV</friendlyName>
<manufacturer>Samsung Electronics</manufacturer><modelName>QE55Q80T</modelName><modelNumber>AU8000</modelNumber>
<UDN>{USN}</UDN></device></root>
""".encode()


class Description(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/description.xml":
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(XML)))
        self.end_headers()
        self.wfile.write(XML)

    def log_message(self, *args):
        pass


def ssdp():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("", 1900))
    mreq = struct.pack("4s4s", socket.inet_aton(GROUP), socket.inet_aton(ADDR))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(ADDR))
    notify = (f"NOTIFY * HTTP/1.1\r\nHOST: {GROUP}:1900\r\nCACHE-CONTROL: max-age=1800\r\n"
              f"LOCATION: {LOCATION}\r\nNT: {DEVICE_TYPE}\r\nNTS: ssdp:alive\r\nSERVER: {SERVER}\r\n"
              f"USN: {USN}::{DEVICE_TYPE}\r\n\r\n").encode()
    s.sendto(notify, (GROUP, 1900))
    print("ready", flush=True)
    while True:
        data, peer = s.recvfrom(2048)
        if not data.startswith(b"M-SEARCH"):
            continue
        answer = (f"HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\nLOCATION: {LOCATION}\r\n"
                  f"SERVER: {SERVER}\r\nST: {DEVICE_TYPE}\r\nUSN: {USN}::{DEVICE_TYPE}\r\n\r\n").encode()
        s.sendto(answer, peer)
        s.sendto(notify, (GROUP, 1900))


http = HTTPServer((ADDR, PORT), Description)
threading.Thread(target=http.serve_forever, daemon=True).start()
ssdp()
