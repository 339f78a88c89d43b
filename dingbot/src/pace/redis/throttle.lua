-- DingTalk throttled the robot: every process holds its sends until the flag expires.
-- A longer throttle already set is kept.
-- KEYS[1] throttle; ARGV[1] ms, ARGV[2] the errcode that set it
local ms = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < ms then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ms)
end
return 0
