-- wrk_record.lua: POST /v1/admissions at the booth, for scripts/bench-server.sh
-- and bench/pg_http.sh. Each request is one of:
--   a fresh recorded admission: "record": true for a traveller the ledger has
--     never seen (a TD3 MRZ with valid check digits built from a counter:
--     document X########, a surname of its own) under a unique event id, so
--     every answer is a new ledger row and its audit entry, never an
--     idempotent retry;
--   a decision on a known traveller: no record, the MRZ of one of FR_KNOWN
--     travellers already in the ledger (documents K0000000..; see
--     scripts/bench-server.sh, which imports them), so the history is read and
--     the read audited before the answer.
-- Environment: FR_TOKEN; FR_PREFIX (keeps event ids apart between wrk runs);
-- FR_DECIDE (percent of requests that are decisions on known travellers:
-- 0 all fresh records, the default; 100 all decisions; 80 the booth mix);
-- FR_KNOWN (how many known travellers, default 1000); FR_SEED (1..99: the
-- block of document numbers the fresh travellers take, one per wrk run of a
-- ledger so no run meets another's travellers; default random).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("FR_TOKEN")
local prefix = os.getenv("FR_PREFIX") or "W"
local decide = tonumber(os.getenv("FR_DECIDE") or "0")
local known = tonumber(os.getenv("FR_KNOWN") or "1000")
local n = 0
math.randomseed(os.time())
local tid = tonumber(os.getenv("FR_SEED") or "") or math.random(1, 99)

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
-- a birth date from k: 20,160 different days (1940..1999), so the linking
-- rule meets a realistic handful of candidates per day, not every traveller
local function birthday(k)
  return string.format("%02d%02d%02d", 40 + k % 60, 1 + math.floor(k / 60) % 12,
    1 + math.floor(k / 720) % 28)
end
-- the two MRZ lines of document `doc` (9 characters) for surname ZH<letters(k)>
local function mrz(doc, k)
  local birth, exp = birthday(k), "300501"
  local opt = string.rep("<", 14)
  local l2a = doc .. cd(doc) .. "CHN" .. birth .. cd(birth) .. "M" .. exp .. cd(exp) .. opt .. "<"
  local comp = l2a:sub(1, 10) .. l2a:sub(14, 20) .. l2a:sub(22, 43)
  local l2 = l2a .. cd(comp)
  local l1 = ("P<CHN" .. "ZH" .. letters(k) .. "<<WEI" .. string.rep("<", 44)):sub(1, 44)
  return l1, l2
end

function request()
  n = n + 1
  if decide > 0 and math.random(1, 100) <= decide then
    local i = math.random(0, known - 1)
    local l1, l2 = mrz(string.format("K%08d", i), i)
    local body = string.format('{"mrz":["%s","%s"],"port":"ECUIO","at":"2024-07-10T10:15-05:00","visa":"V1"}',
      l1, l2)
    return wrk.format(nil, nil, nil, body)
  end
  local k = tid * 1000000 + n
  local l1, l2 = mrz(string.format("X%08d", k), k)
  local body = string.format('{"mrz":["%s","%s"],"port":"ECUIO","at":"2024-06-30T10:15-05:00","record":true,"event_id":"%s-%d-%d"}',
    l1, l2, prefix, tid, n)
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local s = summary
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d non2xx=%d\n",
    s.requests, s.duration / 1e6, s.requests / (s.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000,
    s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout, s.errors.status))
end
