"""An SMTP server for the tests: aiosmtpd on 127.0.0.1:<port>, each message saved as <n>.eml in <folder>.
Usage: /usr/bin/python3 smtp_sink.py <port> <folder>. Prints "ready" once it accepts connections."""
import os, sys, time
from aiosmtpd.controller import Controller


class Save:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = os.path.join(self.folder, f"{self.count:04d}.eml")
        with open(name + ".tmp", "wb") as f:
            f.write(b"X-Envelope-To: " + ", ".join(envelope.rcpt_tos).encode() + b"\r\n")
            f.write(envelope.original_content or envelope.content)
        os.replace(name + ".tmp", name)
        return "250 OK"


port, folder = int(sys.argv[1]), sys.argv[2]
controller = Controller(Save(folder), hostname="127.0.0.1", port=port)
controller.start()
print("ready", flush=True)
try:
    while True:
        time.sleep(3600)
finally:
    controller.stop()
