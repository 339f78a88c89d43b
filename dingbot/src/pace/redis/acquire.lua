-- One acquire, atomically: a slot in the robot's window, or how long until one frees.
-- KEYS[1] sends   sorted set: member = one send, score = when its answer arrived (ms),
--                 or when it may arrive at the latest while the send is in flight
-- KEYS[2] throttle  set while DingTalk throttles the robot, expiring when it ends
-- KEYS[3] robot     hash, never expiring: the rate the window is counted at (limit,
--                   window); the fence: no slot before it; run_id: the Redis server that
--                   last granted a slot; last: when it did (ms)
-- ARGV: limit, window_ms (margin included), in_flight_ms (how long after now the
--       answer may arrive at the latest), the member for this send, the longest
--       throttle DingTalk sets (ms), then the sends this process has had answered since
--       it last asked (scored now, Redis' time, if they were scored later)
-- Returns {repairs, code, ...}: repairs, a list of what was found impossible in the keys
-- and repaired (usually empty); then {0, free} granted (free: slots left besides this
-- one); {1, ms} throttled; {2, ms, all_in_flight} window full; {3, limit, window_ms}
-- counted at another rate; {4, ms} fenced.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local in_flight = tonumber(ARGV[3])
local longest_throttle = tonumber(ARGV[5])
-- No value this script or throttle.lua writes lies beyond it: a score is at most now
-- plus the time in flight, a fence now plus the window. Beyond it a value is corrupt,
-- or Redis' clock stepped back; either way it would hold the robot for that long.
local horizon = now + window + in_flight

-- Healing: what cannot be true is repaired before anything is read, and reported.
local repairs = {}
local function repaired(text)
  repairs[#repairs + 1] = text
end

local function expect_type(key, want)
  local kind = redis.call('TYPE', key)['ok']
  if kind ~= 'none' and kind ~= want then
    redis.call('DEL', key)
    repaired(key .. ' held a ' .. kind .. ' where dingbot keeps a ' .. want .. ': deleted')
  end
end
expect_type(KEYS[1], 'zset')
expect_type(KEYS[2], 'string')
expect_type(KEYS[3], 'hash')

local fields = {'limit', 'window', 'fence', 'last'}
local stored = redis.call('HMGET', KEYS[3], 'limit', 'window', 'fence', 'last')
for i = 1, #fields do
  if stored[i] and not tonumber(stored[i]) then
    redis.call('DEL', KEYS[3])
    repaired(KEYS[3] .. ' held a ' .. fields[i] .. ' that is not a number: deleted')
    break
  end
end
local fence = tonumber(redis.call('HGET', KEYS[3], 'fence') or '0')
if fence > horizon then
  redis.call('HSET', KEYS[3], 'fence', now + window)
  repaired(KEYS[3] .. ' held a fence ' .. (fence - now) .. ' ms ahead: set to one window')
end
local last = tonumber(redis.call('HGET', KEYS[3], 'last') or '0')
if last > horizon then
  redis.call('HSET', KEYS[3], 'last', now)
  repaired(KEYS[3] .. ' held a last grant ' .. (last - now) .. ' ms ahead: set to now')
  last = now
end

local ahead = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. horizon, '+inf', 'WITHSCORES')
if #ahead > 0 then
  for i = 1, #ahead, 2 do
    redis.call('ZADD', KEYS[1], 'XX', now + in_flight, ahead[i])
  end
  repaired(KEYS[1] .. ' held ' .. (#ahead / 2) .. ' send(s) scored up to ' ..
    ((tonumber(ahead[#ahead]) or math.huge) - now) .. ' ms ahead: scored as in flight now')
end

local throttle = redis.call('PTTL', KEYS[2])
if throttle > longest_throttle or throttle == -1 then
  redis.call('PEXPIRE', KEYS[2], longest_throttle)
  local held = 'no expiry'
  if throttle > 0 then
    held = throttle .. ' ms'
  end
  repaired(KEYS[2] .. ' held a throttle of ' .. held .. ', longer than DingTalk sets: ' ..
    longest_throttle .. ' ms')
  throttle = longest_throttle
end

-- Whether sends of the last window were lost: a slot granted within the window leaves
-- an entry in sends at least until the window has passed it (a score never moves
-- before its grant), so a missing sends key then means it was lost (evicted, or a
-- restore or failover to a copy without it, or a key of the wrong type deleted
-- above). Checked before this script records anything.
local lost = last > now - window and redis.call('EXISTS', KEYS[1]) == 0

for i = 6, #ARGV do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) > now then
    redis.call('ZADD', KEYS[1], 'XX', now, ARGV[i])
  end
end

-- The server's identity and age: a restart (even from an RDB or AOF file, which may be
-- older than the last sends) or a failover to a replica gives another run_id; a server
-- up for less than a window (and the longest time in flight) may have lost sends of it.
local info = redis.call('INFO', 'server')
local run_id = string.match(info, 'run_id:(%w+)') or ''
local uptime = tonumber(string.match(info, 'uptime_in_seconds:(%d+)') or '0')
local young = uptime * 1000 < window + in_flight

if throttle > 0 then
  return {repairs, 1, throttle}
end

local robot = redis.call('HMGET', KEYS[3], 'limit', 'window', 'fence', 'run_id')
if (not robot[1] and young) or (robot[1] and robot[4] ~= run_id) or lost then
  -- Redis may not have the whole record of this robot: a server restarted or failed
  -- over within the window (a restart from a file, or a replica that may lag), a
  -- record from another server, or its sends were lost. Sends of the last window may
  -- be unknown, so none is granted for one window.
  redis.call('HSET', KEYS[3], 'limit', limit, 'window', window, 'fence', now + window,
    'run_id', run_id)
  redis.call('HDEL', KEYS[3], 'last')
  return {repairs, 4, window}
end
if not robot[1] then
  -- A server up for longer than the window that has no record of this robot never
  -- granted it a slot within the window: its first use, nothing to fence.
  redis.call('HSET', KEYS[3], 'limit', limit, 'window', window, 'run_id', run_id)
  robot = {tostring(limit), tostring(window), false, run_id}
end

local counted_limit = tonumber(robot[1])
local counted_window = tonumber(robot[2])
if counted_limit ~= limit or counted_window ~= window then
  -- Sends still in the window were counted at another rate: refuse rather than let
  -- two rates each believe they have the whole limit.
  if redis.call('ZCOUNT', KEYS[1], '(' .. (now - counted_window), '+inf') > 0 then
    return {repairs, 3, counted_limit, counted_window}
  end
  redis.call('HSET', KEYS[3], 'limit', limit, 'window', window)
end

fence = tonumber(robot[3] or '0')
if fence > now then
  return {repairs, 4, fence - now}
end

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  local first = tonumber(oldest[2])
  local all_in_flight = 0
  if first > now then
    all_in_flight = 1
  end
  return {repairs, 2, first + window - now, all_in_flight}
end

redis.call('ZADD', KEYS[1], now + in_flight, ARGV[4])
redis.call('HSET', KEYS[3], 'last', now)
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIRE', KEYS[1], math.max(tonumber(newest[2]) - now, 0) + window)
return {repairs, 0, limit - count - 1}
