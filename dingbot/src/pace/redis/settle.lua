-- Sends this process has settled, when no acquire carried them: answered ones count
-- from now (Redis' clock) instead of the latest moment their answer could have come;
-- slots taken ahead and never used are removed.
-- KEYS[1] sends, KEYS[2] robot (its `last` grant is forgotten when this empties sends:
-- nothing was lost); ARGV: n, n members answered, then members never used
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local existed = redis.call('EXISTS', KEYS[1]) == 1
local answered = tonumber(ARGV[1])
for i = 2, 1 + answered do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) > now then
    redis.call('ZADD', KEYS[1], 'XX', now, ARGV[i])
  end
end
for i = 2 + answered, #ARGV do
  redis.call('ZREM', KEYS[1], ARGV[i])
end
if existed and redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HDEL', KEYS[2], 'last')
end
return 0
