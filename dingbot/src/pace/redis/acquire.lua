-- One acquire, atomically: a slot in the robot's window, or how long until one frees.
-- KEYS[1] sends   sorted set: member = one send, score = when its answer arrived (ms),
--                 or when it may arrive at the latest while the send is in flight
-- KEYS[2] throttle  set while DingTalk throttles the robot, expiring when it ends
-- KEYS[3] robot     hash, never expiring: the rate the window is counted at (limit,
--                   window); the fence: no slot before it; run_id: the Redis server that
--                   last granted a slot; last: when it did (ms)
-- ARGV: limit, window_ms (margin included), in_flight_ms (how long after now the
--       answer may arrive at the latest), the member for this send, then the sends this
--       process has had answered since it last asked (scored now, Redis' time, if they
--       were scored later)
-- Returns {0, free} granted (free: slots left besides this one); {1, ms} throttled;
-- {2, ms, all_in_flight} window full; {3, limit, window_ms} counted at another rate;
-- {4, ms} fenced.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])

-- Whether sends of the last window were lost: a slot granted within the window leaves
-- an entry in sends at least until the window has passed it (a score never moves
-- before its grant), so a missing sends key then means it was lost (evicted, or a
-- restore or failover to a copy without it). Checked before this script changes
-- anything.
local last = tonumber(redis.call('HGET', KEYS[3], 'last') or '0')
local lost = last > now - window and redis.call('EXISTS', KEYS[1]) == 0

for i = 5, #ARGV do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) > now then
    redis.call('ZADD', KEYS[1], 'XX', now, ARGV[i])
  end
end

-- The server's identity: a restart (even from an RDB or AOF file, which may be older
-- than the last sends) or a failover to a replica gives another run_id.
local info = redis.call('INFO', 'server')
local run_id = string.match(info, 'run_id:(%w+)') or ''

local throttle = redis.call('PTTL', KEYS[2])
if throttle > 0 then
  return {1, throttle}
end

local robot = redis.call('HMGET', KEYS[3], 'limit', 'window', 'fence', 'run_id')
if not robot[1] or robot[4] ~= run_id or lost then
  -- Redis has no (whole) record of this robot: first use, a restart or failover (another
  -- server, or one restored from a file), or its sends were lost. Sends of the last
  -- window may be unknown, so none is granted for one window.
  redis.call('HSET', KEYS[3], 'limit', limit, 'window', window, 'fence', now + window,
    'run_id', run_id)
  redis.call('HDEL', KEYS[3], 'last')
  return {4, window}
end

local counted_limit = tonumber(robot[1])
local counted_window = tonumber(robot[2])
if counted_limit ~= limit or counted_window ~= window then
  -- Sends still in the window were counted at another rate: refuse rather than let
  -- two rates each believe they have the whole limit.
  if redis.call('ZCOUNT', KEYS[1], '(' .. (now - counted_window), '+inf') > 0 then
    return {3, counted_limit, counted_window}
  end
  redis.call('HSET', KEYS[3], 'limit', limit, 'window', window)
end

local fence = tonumber(robot[3] or '0')
if fence > now then
  return {4, fence - now}
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
  return {2, first + window - now, all_in_flight}
end

redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[4])
redis.call('HSET', KEYS[3], 'last', now)
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIRE', KEYS[1], math.max(tonumber(newest[2]) - now, 0) + window)
return {0, limit - count - 1}
