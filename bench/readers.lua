-- Many readers coming back to one page in turn: each request carries the next reader's cookies. The Cookie headers,
-- one per reader, come after wrk's "--". Answers that are not a 200 are counted as in count_status.lua (done()
-- prints "not 200: N", which bench/common.py reads).
local threads = {}

function setup(thread)
  thread:set("first_turn", #threads * 7919)  -- the threads start at different readers
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
  cookies = args
  turn = first_turn
end

function request()
  turn = turn % #cookies + 1
  wrk.headers["Cookie"] = cookies[turn]
  return wrk.format()
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
