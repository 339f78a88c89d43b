-- A send's answer arrived: its slot counts from now (Redis' clock) instead of from the
-- latest moment it could have arrived.
-- KEYS[1] sends; ARGV[1] member
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) > now then
  redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
end
return 0
