-- bin/load-flood's requests. The first script argument says who sends:
--   customers TOKEN,XFF,ORDER ...   each request as the next customer (own token and address), in
--                                   turn GET /v1/orders/{own order} and GET /v1/orders, paced by DELAY ms
--   garbage | anonymous | big        the flood from 203.0.113.1-10: a bearer token that is no token
--                                   (JWT-looking or ok_...), no credentials, a 2 MB POST /v1/orders
-- done() prints "RESULT ..." as report.lua does and "STATUS code=count ..." summed over the threads.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  role = args[1]
  delay_ms = tonumber(os.getenv("FLOOD_DELAY_MS") or "0")
  customers = {}
  for i = 2, #args do
    local token, xff, order = args[i]:match("([^,]+),([^,]+),([^,]+)")
    table.insert(customers, { token = token, xff = xff, order = order })
  end
  counts = {}
  n = math.random(1000)
  if role == "big" then
    big = string.rep("x", 2 * 1024 * 1024)
  end
end

function request()
  n = n + 1
  if role == "customers" then
    local c = customers[n % #customers + 1]
    local path = (math.floor(n / #customers) % 2 == 0) and ("/v1/orders/" .. c.order) or "/v1/orders"
    return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. c.token, ["X-Forwarded-For"] = c.xff })
  end
  local xff = "203.0.113." .. (n % 10 + 1)
  if role == "garbage" then
    local token = (n % 2 == 0) and ("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.garbage" .. n) or ("ok_garbage" .. n)
    return wrk.format("GET", "/v1/orders", { ["Authorization"] = "Bearer " .. token, ["X-Forwarded-For"] = xff })
  elseif role == "anonymous" then
    return wrk.format("GET", "/v1/orders", { ["X-Forwarded-For"] = xff })
  else
    return wrk.format("POST", "/v1/orders", { ["X-Forwarded-For"] = xff, ["Content-Type"] = "application/json",
      ["Idempotency-Key"] = "flood-" .. n }, big)
  end
end

function delay()
  return delay_ms
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %.2f %.1f %.2f %.2f %d %d\n", summary.requests, summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("counts")) do
      total[status] = (total[status] or 0) + count
    end
  end
  local line = "STATUS"
  for status, count in pairs(total) do
    line = line .. " " .. status .. "=" .. count
  end
  io.write(line .. "\n")
end
