"""The comparison for `mmjwt gen --user-id -`: PyJWT making the same Infobip token per stdin line."""
import sys, time, uuid
import jwt

key = bytes.fromhex(open(sys.argv[1]).read().strip())
app, kid = "bench-app-code", "bench-key"
now = int(time.time())
out = sys.stdout
for line in sys.stdin:
    sub = line.rstrip("\n")
    claims = {"typ": "Bearer", "sub": sub, "infobip-api-key": app, "iat": now,
              "exp": now + 900, "jti": str(uuid.uuid4()), "iss": app}
    out.write(jwt.encode(claims, key, algorithm="HS256", headers={"kid": kid}) + "\n")
