-- wrk script of `make bench`: counts responses other than 200 (wrk itself counts only >= 400
-- as errors, so a redirect to the login page would pass unnoticed) and writes a JSON summary to
-- the file named by WRK_REPORT. Latencies are in microseconds in wrk, milliseconds in the report.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   not_ok = 0
end

function response(status, headers, body)
   if status ~= 200 then
      not_ok = not_ok + 1
   end
end

function done(summary, latency, requests)
   local not_ok_total = 0
   for _, thread in ipairs(threads) do
      not_ok_total = not_ok_total + thread:get("not_ok")
   end
   local e = summary.errors
   local file = assert(io.open(os.getenv("WRK_REPORT"), "w"))
   file:write(string.format(
      '{"requests": %d, "seconds": %f, "requests_per_second": %f, "p50_ms": %f, ' ..
      '"p95_ms": %f, "p99_ms": %f, "max_ms": %f, "errors": %d, "not_200": %d, ' ..
      '"socket_errors": %d}',
      summary.requests,
      summary.duration / 1e6,
      summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000,
      latency:percentile(95) / 1000,
      latency:percentile(99) / 1000,
      latency.max / 1000,
      not_ok_total + e.connect + e.read + e.write + e.timeout,
      not_ok_total,
      e.connect + e.read + e.write + e.timeout
   ))
   file:close()
end
