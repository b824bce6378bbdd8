"""gunicorn's own answers (a request line or headers too large, a request it cannot parse), in the API's JSON
error shape: it answers them before Django sees the request."""

import json
import re

from gunicorn import util


def write_json_error(sock, status_int: int, reason: str, mesg: str) -> None:
    code = re.sub(r"[^a-z]+", "_", reason.lower()).strip("_")
    body = json.dumps(
        {
            "type": "server_error" if status_int >= 500 else "client_error",
            "errors": [{"code": code, "detail": reason, "attr": None}],
        }
    ).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode("latin1")
    util.write_nonblock(sock, head + body)
