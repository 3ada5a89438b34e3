-- Each request carries the next caller's Authorization header in turn, from a file of one header
-- value per line (wrk ... URL -- FILE): many callers, so many buckets, from one wrk run.
-- Reports as report.lua does.
dofile("load/wrk/report.lua")
local callers = {}
local next_caller = 0
init = function(args)
  for line in io.lines(args[1]) do callers[#callers + 1] = line end
end
request = function()
  next_caller = next_caller % #callers + 1
  return wrk.format(nil, nil, { ["Authorization"] = callers[next_caller] })
end
