-- wrk script: MCP tools/call POSTs on one Streamable HTTP session (bench/mcp-wrk.sh).
-- Environment: MCP_SESSION (the Mcp-Session-Id), MCP_TOOL, MCP_AUTHORIZATION (optional),
-- MCP_PROTOCOL (the negotiated version), MCP_MESSAGE (the echo argument).
-- Every request has its own JSON-RPC id. A response counts as an error unless it is a 200 whose
-- body carries a "result" (an SSE answer carries it in its data line).
local session = os.getenv("MCP_SESSION")
local tool = os.getenv("MCP_TOOL")
local auth = os.getenv("MCP_AUTHORIZATION")
local protocol = os.getenv("MCP_PROTOCOL") or "2025-11-25"
local message = os.getenv("MCP_MESSAGE") or "hello"

local threads = {}
local counter = 0
local errors = 0
local first_error = nil

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json, text/event-stream"
  wrk.headers["Mcp-Session-Id"] = session
  wrk.headers["MCP-Protocol-Version"] = protocol
  if auth and auth ~= "" then wrk.headers["Authorization"] = auth end
end

function request()
  counter = counter + 1
  local body = '{"jsonrpc":"2.0","id":"' .. id .. '-' .. counter .. '","method":"tools/call","params":{"name":"'
    .. tool .. '","arguments":{"message":"' .. message .. '"}}}'
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status ~= 200 or not body:find('"result"', 1, true) then
    errors = errors + 1
    if not first_error then first_error = status .. " " .. body:sub(1, 200) end
  end
end

function done(summary, latency, requests)
  local total = 0
  local first = nil
  for _, t in ipairs(threads) do
    total = total + (t:get("errors") or 0)
    first = first or t:get("first_error")
  end
  io.write(string.format('WRK_JSON {"requests":%d,"durationUs":%d,"errors":%d,"socketErrors":%d,'
    .. '"p50Ms":%.3f,"p90Ms":%.3f,"p95Ms":%.3f,"p99Ms":%.3f,"meanMs":%.3f,"firstError":%q}\n',
    summary.requests, summary.duration, total,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    latency.mean / 1000, first or ""))
end
