-- wrk_admissions.lua: POST /v1/admissions with a bearer token, for
-- scripts/bench-server.sh. Environment: FR_TOKEN (the token), FR_BODY (the
-- JSON body), FR_DELAY_MS (optional: each connection waits that long after an
-- answer before its next request, for a steady load below saturation, as at
-- a real booth; unset: as fast as the server answers). Counts non-2xx answers
-- so the script can fail on errors.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("FR_TOKEN")
wrk.body = os.getenv("FR_BODY")

local pause = tonumber(os.getenv("FR_DELAY_MS") or "")
if pause then
  function delay() return pause end
end

local bad = 0
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local s = summary
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d non2xx=%d\n",
    s.requests, s.duration / 1e6, s.requests / (s.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000,
    s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout, s.errors.status))
end
