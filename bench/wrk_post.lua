-- wrk script of the licgraph benchmarks (bench/loadgen.py): POST one GraphQL body, with an
-- optional Authorization header, and count answers that are not HTTP 200 or carry errors.
-- WRK_BODY_FILE names the JSON body; WRK_AUTHORIZATION is the header's value (or empty).
local function read(path)
  local file = assert(io.open(path, "rb"))
  local text = file:read("*a")
  file:close()
  return text
end

wrk.method = "POST"
wrk.body = read(os.getenv("WRK_BODY_FILE"))
wrk.headers["Content-Type"] = "application/json"
local authorization = os.getenv("WRK_AUTHORIZATION")
if authorization and authorization ~= "" then
  wrk.headers["Authorization"] = authorization
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  failed = 0
end

function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("failed")
  end
  io.write(string.format("graphql failures: %d\n", total))
end
