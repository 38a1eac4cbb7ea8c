-- wrk script for tests/bench/http-side-by-side.sh: every request POSTs the same GraphQL body.
--   BODY_FILE  a file holding the JSON request body ({"query": ..., "variables": ...})
--   TOKEN      optional bearer token, sent as Authorization: Bearer TOKEN
-- Both servers get the same headers; no Accept-Encoding, so neither compresses.
local path = os.getenv("BODY_FILE") or error("BODY_FILE is not set")
local file = assert(io.open(path, "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
local token = os.getenv("TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
