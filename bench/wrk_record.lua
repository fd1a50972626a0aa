-- wrk_record.lua: POST /v1/admissions with "record": true, each request a
-- different traveller (a TD3 MRZ built with valid check digits from a
-- counter) and a unique event id, for bench/pg_http.sh. Environment:
-- FR_TOKEN, FR_PREFIX (keeps event ids apart between wrk runs).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("FR_TOKEN")
local prefix = os.getenv("FR_PREFIX") or "W"
local n = 0
local tid = math.random(1, 1000000)

local function val(c)
  if c == "<" then return 0 end
  local b = string.byte(c)
  if b >= 48 and b <= 57 then return b - 48 end
  return b - 55
end
local function cd(s)
  local w, sum = {7, 3, 1}, 0
  for i = 1, #s do sum = sum + val(s:sub(i, i)) * w[(i - 1) % 3 + 1] end
  return tostring(sum % 10)
end
local function letters(k)
  local s = ""
  for _ = 1, 5 do s = s .. string.char(65 + k % 26); k = math.floor(k / 26) end
  return s
end

function request()
  n = n + 1
  local k = tid * 100000 + n
  local doc = string.format("X%08d", k % 100000000)
  local birth, exp = "850314", "300501"
  local opt = string.rep("<", 14)
  local l2a = doc .. cd(doc) .. "CHN" .. birth .. cd(birth) .. "M" .. exp .. cd(exp) .. opt .. "<"
  local comp = l2a:sub(1, 10) .. l2a:sub(14, 20) .. l2a:sub(22, 43)
  local l2 = l2a .. cd(comp)
  local l1 = ("P<CHN" .. "ZH" .. letters(k) .. "<<WEI" .. string.rep("<", 44)):sub(1, 44)
  local body = string.format('{"mrz":["%s","%s"],"port":"ECUIO","at":"2024-06-30T10:15-05:00","record":true,"event_id":"%s-%d-%d"}',
    l1, l2, prefix, tid, n)
  return wrk.format(nil, nil, nil, body)
end

local bad = 0
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local s = summary
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.3f p99_ms=%.3f errors=%d non2xx=%d\n",
    s.requests, s.duration / 1e6, s.requests / (s.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout, s.errors.status))
end
