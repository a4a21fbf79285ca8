-- wrk load for POST /api/usage, the way a gateway reports each call: one event per request, each with its own id
-- (run name, wrk thread, counter), over eight tenants (wrk-<run>-t0 to t7), key dev-key. Give each run its own name
-- after "--" so a second run is not all duplicates (docs/development.md, "Benchmarks").
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local run = "r"
function init(args)
  counter = 0
  run = args[1] or "r"
end
request = function()
  counter = counter + 1
  local ts = os.date("!%Y-%m-%dT%H:%M:%SZ")
  local body = string.format('{"event_id":"wrk-%s-%d-%d","timestamp":"%s","tenant":"wrk-%s-t%d","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":100}', run, tid, counter, ts, run, counter % 8)
  return wrk.format("POST", "/api/usage", {["Content-Type"]="application/json", ["x-api-key"]="dev-key"}, body)
end
