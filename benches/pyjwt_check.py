"""The comparison for `mmjwt check --json -`: PyJWT verifying each stdin token and printing JSON."""
import json, sys
import jwt

key = bytes.fromhex(open(sys.argv[1]).read().strip())
out = sys.stdout
for line in sys.stdin:
    token = line.strip()
    try:
        claims = jwt.decode(token, key, algorithms=["HS256"],
                            options={"require": ["exp", "iat", "jti", "sub"]}, leeway=0)
        header = jwt.get_unverified_header(token)
        out.write(json.dumps({"valid": True, "header": header, "claims": claims}) + "\n")
    except jwt.PyJWTError as e:
        out.write(json.dumps({"valid": False, "error": str(e)}) + "\n")
