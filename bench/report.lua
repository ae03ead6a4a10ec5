-- wrk: at the end, one JSON line with the latency percentiles (microseconds), requests per second and errors.
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format('{"p50": %d, "p95": %d, "p99": %d, "rps": %.1f, "errors": %d}\n',
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.requests / (summary.duration / 1e6), errors))
end
