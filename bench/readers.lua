-- Many readers coming back to one page in turn: each request carries the next reader's cookies. The Cookie headers,
-- one per reader, come after wrk's "--". Answers that are not a 200 are counted by count_status.lua, loaded here.
local folder = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(folder .. "count_status.lua")

local count_setup, count_init = setup, init
local thread_count = 0

function setup(thread)
  thread:set("first_turn", thread_count * 7919)  -- the threads start at different readers
  thread_count = thread_count + 1
  count_setup(thread)
end

function init(args)
  count_init(args)
  cookies = args
  turn = first_turn
end

function request()
  turn = turn % #cookies + 1
  wrk.headers["Cookie"] = cookies[turn]
  return wrk.format()
end
