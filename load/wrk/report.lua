-- wrk summary in one line bin/bench-edge and bin/load-flood read:
-- RESULT requests seconds requests/s p50-ms p99-ms non-2xx/3xx socket-errors
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %.2f %.1f %.2f %.2f %d %d\n", summary.requests, summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
