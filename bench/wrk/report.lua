-- Prints one JSON line (prefixed WRK-JSON) with requests/s, latency percentiles in ms and error counts,
-- for bench/run.py to read. Latencies come from wrk's own histogram (microseconds).
done = function(summary, latency, requests)
  local seconds = summary.duration / 1000000
  local errors = summary.errors
  io.write(string.format(
    'WRK-JSON {"requests": %d, "seconds": %.3f, "rps": %.2f, "p50": %.3f, "p95": %.3f, "p99": %.3f, ' ..
    '"max": %.3f, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
