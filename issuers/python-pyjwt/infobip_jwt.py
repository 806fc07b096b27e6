"""Issue Infobip Mobile Messaging user-data JWTs with PyJWT.

The secret signs tokens for ANY user of your app, so it lives on your backend only: never
ship it in the mobile app (anyone can unpack an app and read it) and never commit it.
The app asks your backend for a token after the user has signed in to your backend.

Configuration (from the Infobip portal, App Profile, "JWT private keys"):
  INFOBIP_APP_CODE    the Application Code
  INFOBIP_JWT_KEY_ID  the key id
  INFOBIP_JWT_SECRET  the secret as the portal shows it (hex)

Run: python3 infobip_jwt.py EXTERNAL_USER_ID   -> the token on stdout
"""

import os
import re
import sys
import time
import uuid

import jwt  # PyJWT

LIFETIME_SECONDS = 15 * 60
_HEX = re.compile(r"\A(?:[0-9a-fA-F]{2})+\Z")


def secret_from_hex(secret_hex: str) -> bytes:
    """The HMAC key is the hex-DECODED secret, never the text of the hex."""
    if not _HEX.match(secret_hex):
        raise ValueError(
            "INFOBIP_JWT_SECRET must be a non-empty, even-length hex string (as the portal shows it)"
        )
    return bytes.fromhex(secret_hex)


def infobip_user_token(external_user_id: str, app_code: str, key_id: str, key: bytes) -> str:
    """The signed token for one external user id; `sub` is the id exactly as given."""
    now = int(time.time())  # integer seconds: time.time() alone is fractional
    claims = {
        "typ": "Bearer",
        "sub": external_user_id,
        "infobip-api-key": app_code,
        "iat": now,
        "exp": now + LIFETIME_SECONDS,
        "jti": str(uuid.uuid4()),
        "iss": app_code,
    }
    # PyJWT adds "typ": "JWT" to the header itself; kid comes from the headers argument.
    return jwt.encode(claims, key, algorithm="HS256", headers={"kid": key_id, "typ": "JWT"})


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: infobip_jwt.py EXTERNAL_USER_ID", file=sys.stderr)
        return 2
    try:
        app_code = os.environ["INFOBIP_APP_CODE"]
        key_id = os.environ["INFOBIP_JWT_KEY_ID"]
        secret_hex = os.environ["INFOBIP_JWT_SECRET"]
    except KeyError as missing:
        print(f"error: {missing.args[0]} is not set", file=sys.stderr)
        return 2
    try:
        key = secret_from_hex(secret_hex)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(infobip_user_token(sys.argv[1], app_code, key_id, key))
    return 0


if __name__ == "__main__":
    sys.exit(main())
