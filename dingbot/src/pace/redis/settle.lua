-- Sends this process has had answered, when no acquire carried them: they count from
-- now (Redis' clock) instead of the latest moment their answer could have come.
-- KEYS[1] sends; ARGV: the members answered
-- A key of the wrong type is left to the next acquire, which repairs it.
if redis.call('TYPE', KEYS[1])['ok'] ~= 'zset' then
  return 0
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 1, #ARGV do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) > now then
    redis.call('ZADD', KEYS[1], 'XX', now, ARGV[i])
  end
end
return 0
