-- Counts every answer that is not a 200: wrk's own "Non-2xx or 3xx" leaves out redirects, so a session sent to
-- the sign-in page would pass unseen. Each wrk thread has its own Lua state; done() sums their counts and
-- prints "not 200: N", which bench/load.py reads.
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
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("not_ok")
  end
  io.write(string.format("not 200: %d\n", total))
end
