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
"""
import argparse
import asyncio
import os
import signal
import sys

from aiosmtpd.smtp import SMTP, __version__ as aiosmtpd_version


class Handler:
    """Trivial handler: reject every recipient, never deliver."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such user here"

    async def handle_DATA(self, server, session, envelope):
        return "554 5.3.0 This server takes no mail"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--hostname", default="mx-aio.e2e.test")
    ap.add_argument("--ident", default="smtpprobe-e2e aiosmtpd")
    ap.add_argument("--ready-file")
    ap.add_argument("--lifetime", type=float, default=120.0)
    args = ap.parse_args()

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    stop = loop.create_future()

    def factory():
        return SMTP(Handler(), hostname=args.hostname, ident=args.ident,
                    timeout=30, loop=loop)

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
