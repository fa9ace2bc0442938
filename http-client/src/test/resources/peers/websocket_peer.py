"""The WebSocket peer of http-client's tests: python3-websockets (Debian's 10.4) on 127.0.0.1.

Two servers on ports of their own (port 0: the kernel picks), printed on one line as "<port> <port>" once both
listen: the first with websockets' default permessage-deflate (context takeover, server_max_window_bits=12), the
second with server_no_context_takeover, client_no_context_takeover and server_max_window_bits=10. With
"--tls CERT KEY" both speak wss://. The path picks the behaviour:

  /echo               every message back as it came (text as text, binary as binary)
  /close/<code>       close at once with <code> and the reason "bye"
  /big/<n>            send one binary message of n bytes (byte i is i % 251), then echo
  /zeros/<n>          send one text message of n '0's (a compression bomb when compressed), then echo
  /fragments          send "alpha", "beta", "gamma" as one fragmented text message, a ping between fragments
  /ping               ping, await the pong, send "pong received", then echo
  /header/<name>      send the value of the request's header <name>, then echo
  /info               send "<subprotocol or -> <extensions or ->", then echo
  /reject             answer 403 with a short body instead of switching protocols
"""
import asyncio
import http
import ssl
import sys

import websockets
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory


async def echo(ws):
    async for message in ws:
        await ws.send(message)


async def handler(ws, path):
    parts = path.strip("/").split("/")
    if parts[0] == "close":
        await ws.close(int(parts[1]), "bye")
        return
    if parts[0] == "big":
        n = int(parts[1])
        await ws.send(bytes(i % 251 for i in range(n)))
    elif parts[0] == "zeros":
        await ws.send("0" * int(parts[1]))
    elif parts[0] == "fragments":
        async def pieces():
            yield "alpha"
            await ws.ping(b"between")
            yield "beta"
            yield "gamma"
        await ws.send(pieces())
    elif parts[0] == "ping":
        pong = await ws.ping(b"are you there")
        await asyncio.wait_for(pong, 10)
        await ws.send("pong received")
    elif parts[0] == "header":
        await ws.send(ws.request_headers.get(parts[1], "-"))
    elif parts[0] == "info":
        extensions = ", ".join(e.name for e in ws.extensions) or "-"
        await ws.send(f"{ws.subprotocol or '-'} {extensions}")
    await echo(ws)


async def reject(path, headers):
    if path == "/reject":
        return http.HTTPStatus.FORBIDDEN, [("Content-Type", "text/plain")], b"no entry here\n"
    return None


async def main():
    tls = None
    if len(sys.argv) == 4 and sys.argv[1] == "--tls":
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(sys.argv[2], sys.argv[3])
    common = dict(process_request=reject, subprotocols=["chat", "superchat"], ssl=tls, ping_interval=None,
                  max_size=64 * 1024 * 1024)
    takeover = await websockets.serve(handler, "127.0.0.1", 0, **common)
    fresh = await websockets.serve(handler, "127.0.0.1", 0, compression=None, extensions=[
        ServerPerMessageDeflateFactory(server_no_context_takeover=True, client_no_context_takeover=True,
                                       server_max_window_bits=10)], **common)
    ports = [server.sockets[0].getsockname()[1] for server in (takeover, fresh)]
    print(*ports, flush=True)
    await asyncio.Future()


asyncio.run(main())
