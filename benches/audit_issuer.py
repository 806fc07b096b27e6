"""A local token issuer for benches/audit.sh: GET /t/<user> answers a fresh HS256 user-data JWT
for that user (percent-decoded), signed with the hex secret in argv[1]; app code and key id from
MMJWT_APP_CODE and MMJWT_KEY_ID. Binds 127.0.0.1 on a free port and prints the port on stdout.
Python's standard library only; a correct issuer, so the audit measures the whole happy path."""

import base64
import hashlib
import hmac
import json
import os
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

SECRET = bytes.fromhex(open(sys.argv[1]).read().strip())
APP = os.environ["MMJWT_APP_CODE"]
KID = os.environ["MMJWT_KEY_ID"]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


HEADER = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": KID}, separators=(",", ":")).encode())


def token(user: str) -> str:
    now = int(time.time())
    claims = {
        "typ": "Bearer",
        "sub": user,
        "infobip-api-key": APP,
        "iat": now,
        "exp": now + 900,
        "jti": str(uuid.uuid4()),
        "iss": APP,
    }
    body = b64(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())
    signing_input = f"{HEADER}.{body}".encode()
    return f"{HEADER}.{body}.{b64(hmac.new(SECRET, signing_input, hashlib.sha256).digest())}"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        if not self.path.startswith("/t/"):
            self.send_error(404)
            return
        data = token(unquote(self.path[3:])).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
