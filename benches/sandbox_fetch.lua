-- wrk script for benches/sandbox.sh: the SDK's fetch-user call (GET on the URL given to wrk)
-- with the Authorization value taken from the environment, so the token never sits in argv.
local auth = os.getenv("MMJWT_BENCH_AUTH")
if auth == nil or auth == "" then
  error("set MMJWT_BENCH_AUTH to 'App <code>' or 'Bearer <jwt>'")
end
wrk.method = "GET"
wrk.headers["Authorization"] = auth
wrk.headers["Accept"] = "application/json"
