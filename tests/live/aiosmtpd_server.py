#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""A stock aiosmtpd SMTP server for tests/live/e2e.sh.

Run with Debian's /usr/bin/python3 (python3-aiosmtpd).  It listens on
HOST:PORT with aiosmtpd's own, unmodified command handling (the point is to
probe a real second SMTP implementation, not a scripted fake), writes
"READY" to --ready-file once the socket is listening, and exits on
SIGTERM/SIGINT or after --lifetime seconds, whichever comes first, so that it
can never outlive a crashed test run by much.

The handler accepts nothing interesting: smtpprobe never sends DATA.

With --tls-cert/--tls-key the server offers STARTTLS (aiosmtpd's own).
With --broken-starttls as well, STARTTLS is answered "220 Ready to start
TLS" as usual, but then, instead of a TLS handshake, the server reads the
client's first TLS record (the ClientHello), answers it with a plaintext
line and closes the connection: a server whose TLS layer is broken.  A
sending MTA (and smtpprobe) must then reconnect and carry on in plaintext.
With --inject-after-starttls instead, the 220 to STARTTLS carries a second,
unasked-for reply in the same write ("250 2.0.0 injected"): the plaintext
a client must discard before the handshake (RFC 3207 5; the "response
injection" of CVE-2011-0411's kind).  The TLS upgrade itself is aiosmtpd's.
Every other command keeps aiosmtpd's stock handling.
"""
import argparse
import asyncio
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, __version__ as aiosmtpd_version


class Handler:
    """Trivial handler: reject every recipient, never deliver."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such user here"

    async def handle_DATA(self, server, session, envelope):
        return "554 5.3.0 This server takes no mail"


BROKEN_REPLY = b"421 4.3.0 this is not a TLS handshake\r\n"


class BrokenStarttlsSMTP(SMTP):
    """STARTTLS says 220, then plaintext instead of a ServerHello."""

    async def smtp_STARTTLS(self, arg):
        if arg:
            await self.push("501 Syntax: STARTTLS")
            return
        await self.push("220 Ready to start TLS")
        try:
            # the ClientHello: a 5-byte record header, then its body
            head = await asyncio.wait_for(self._reader.readexactly(5), 5)
            n = int.from_bytes(head[3:5], "big")
            await asyncio.wait_for(self._reader.readexactly(n), 5)
        except (asyncio.IncompleteReadError, asyncio.TimeoutError, OSError):
            pass
        self.transport.write(BROKEN_REPLY)
        # close after the write is flushed; the session loop then ends
        self.transport.close()


INJECTED = b"250 2.0.0 injected\r\n"


class InjectingSMTP(SMTP):
    """STARTTLS's 220 and an extra reply in one write, then real TLS."""

    _inject = False

    async def push(self, status):
        if self._inject:
            self._inject = False
            if isinstance(status, str):
                status = status.encode("ascii")
            self._writer.write(status + b"\r\n" + INJECTED)
            await self._writer.drain()
            return
        await super().push(status)

    async def smtp_STARTTLS(self, arg):
        # the next push is the 220 (or an error reply, which is harmless)
        self._inject = not arg and self.tls_context is not None
        await super().smtp_STARTTLS(arg)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--hostname", default="mx-aio.e2e.test")
    ap.add_argument("--ident", default="smtpprobe-e2e aiosmtpd")
    ap.add_argument("--ready-file")
    ap.add_argument("--lifetime", type=float, default=120.0)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    ap.add_argument("--broken-starttls", action="store_true")
    ap.add_argument("--inject-after-starttls", action="store_true")
    args = ap.parse_args()

    tls_context = None
    if args.tls_cert:
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(args.tls_cert, args.tls_key)
    cls = BrokenStarttlsSMTP if args.broken_starttls else \
        InjectingSMTP if args.inject_after_starttls else SMTP

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    stop = loop.create_future()

    def factory():
        return cls(Handler(), hostname=args.hostname, ident=args.ident,
                   timeout=30, loop=loop, tls_context=tls_context,
                   require_starttls=False)

    server = loop.run_until_complete(
        loop.create_server(factory, host=args.host, port=args.port,
                           reuse_address=True))
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    loop.call_later(args.lifetime, lambda: stop.done() or stop.set_result(None))

    msg = "READY aiosmtpd %s on %s:%d pid %d\n" % (
        aiosmtpd_version, args.host, args.port, os.getpid())
    if args.ready_file:
        tmp = args.ready_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(msg)
        os.rename(tmp, args.ready_file)
    sys.stdout.write(msg)
    sys.stdout.flush()

    try:
        loop.run_until_complete(stop)
    finally:
        server.close()
        loop.run_until_complete(server.wait_closed())
        loop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
