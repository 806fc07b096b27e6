-- wrk script for benches/ui.sh: one person typing a token into the debugger page. Each request
-- is the page's check call (POST /_mmjwt/api/check) for the token typed so far, one character
-- longer each time and starting over at the end, with the secret given, so every full token is
-- verified. Token, secret and origin come from the environment (never argv).
local token = os.getenv("MMJWT_BENCH_TOKEN")
local secret = os.getenv("MMJWT_BENCH_SECRET")
local origin = os.getenv("MMJWT_BENCH_ORIGIN")
if token == nil or secret == nil or origin == nil then
  error("set MMJWT_BENCH_TOKEN, MMJWT_BENCH_SECRET and MMJWT_BENCH_ORIGIN")
end
local typed = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Origin"] = origin
request = function()
  typed = typed % #token + 1
  local body = '{"token":"' .. token:sub(1, typed) .. '","secret":"' .. secret .. '"}'
  return wrk.format(nil, "/_mmjwt/api/check", nil, body)
end
