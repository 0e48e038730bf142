import { createHash } from 'node:crypto';

/**
 * Decides one acquire against every rule in one atomic step, so replicas cannot interleave
 * between check and record.
 *
 * KEYS: one hash per rule key (fields `c:<bucket>` = calls, `t:<bucket>` = tokens).
 * ARGV: offsetMs, tokens, then per rule: windowMs, bucketMs, maxCalls, maxTokens, expiryMs
 * (a negative limit means the rule does not limit that kind).
 *
 * Returns `{1, now, bucket...}` when admitted (each rule counted the call in its bucket), or
 * `{0, rulePosition, kind, retryAfterMs, permanent}` when refused (nothing is counted).
 *
 * A bucket counts until its end is `windowMs` old, so a call is forgotten at most one bucket
 * late and never early: the limiter never admits more than a rule allows in any window.
 */
export const ACQUIRE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000 + tonumber(ARGV[1])
local tokens = tonumber(ARGV[2])
local refused = nil
local bucket = nil

local function wait_until_freed(live, indexes, position, needed, bucket_ms, window_ms)
  local freed = 0
  for _, index in ipairs(indexes) do
    freed = freed + live[index][position]
    if freed >= needed then return (index + 1) * bucket_ms + window_ms - now end
  end
  return window_ms
end

local function refuse(candidate)
  if refused == nil or candidate[4] > refused[4] then refused = candidate end
end

for rule = 1, #KEYS do
  local base = 2 + (rule - 1) * 5
  local window_ms = tonumber(ARGV[base + 1])
  local bucket_ms = tonumber(ARGV[base + 2])
  local max_calls = tonumber(ARGV[base + 3])
  local max_tokens = tonumber(ARGV[base + 4])
  if max_tokens >= 0 and tokens > max_tokens then
    return {0, rule, 'tokens', tostring(window_ms), 1}
  end
  local fields = redis.call('HGETALL', KEYS[rule])
  local live, indexes, expired = {}, {}, {}
  local calls, used = 0, 0
  for field = 1, #fields, 2 do
    local name = fields[field]
    local index = tonumber(string.sub(name, 3))
    local value = tonumber(fields[field + 1])
    if (index + 1) * bucket_ms + window_ms <= now then
      expired[#expired + 1] = name
    else
      if live[index] == nil then
        live[index] = {0, 0}
        indexes[#indexes + 1] = index
      end
      if string.sub(name, 1, 1) == 'c' then
        live[index][1] = live[index][1] + value
        calls = calls + value
      else
        live[index][2] = live[index][2] + value
        used = used + value
      end
    end
  end
  if #expired > 0 then redis.call('HDEL', KEYS[rule], unpack(expired)) end
  table.sort(indexes)
  if max_calls >= 0 and calls + 1 > max_calls then
    refuse({0, rule, 'calls', wait_until_freed(live, indexes, 1, calls + 1 - max_calls, bucket_ms, window_ms), 0})
  end
  if max_tokens >= 0 and used + tokens > max_tokens then
    refuse({0, rule, 'tokens', wait_until_freed(live, indexes, 2, used + tokens - max_tokens, bucket_ms, window_ms), 0})
  end
end

if refused ~= nil then
  refused[4] = tostring(refused[4])
  return refused
end

local indexes = {}
for rule = 1, #KEYS do
  local base = 2 + (rule - 1) * 5
  local index = string.format('%.0f', math.floor(now / tonumber(ARGV[base + 2])))
  redis.call('HINCRBY', KEYS[rule], 'c:' .. index, 1)
  if tokens > 0 then redis.call('HINCRBY', KEYS[rule], 't:' .. index, tokens) end
  redis.call('PEXPIRE', KEYS[rule], ARGV[base + 5])
  indexes[rule] = index
end
return {1, tostring(now), unpack(indexes)}
`;

/**
 * Replaces a reservation's estimated tokens with the actual count, once: a marker key (set NX)
 * makes a replayed reconcile, from any replica, a no-op.
 *
 * KEYS: the marker, then one hash per rule key. ARGV: offsetMs, delta, markerExpiryMs, then per
 * rule: bucket, windowMs, bucketMs. Buckets that left their window or whose key expired are
 * skipped, as `MemoryRateLimiter` skips them.
 */
export const RECONCILE_SCRIPT = `
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[3]) == false then return 0 end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000 + tonumber(ARGV[1])
local delta = tonumber(ARGV[2])
local adjusted = 0
for rule = 2, #KEYS do
  local base = 3 + (rule - 2) * 3
  local index = tonumber(ARGV[base + 1])
  local window_ms = tonumber(ARGV[base + 2])
  local bucket_ms = tonumber(ARGV[base + 3])
  local calls_field = 'c:' .. ARGV[base + 1]
  if (index + 1) * bucket_ms + window_ms > now and redis.call('HEXISTS', KEYS[rule], calls_field) == 1 then
    local tokens_field = 't:' .. ARGV[base + 1]
    local total = redis.call('HINCRBY', KEYS[rule], tokens_field, delta)
    -- Never below zero, so a bad report cannot free room other calls hold.
    if total < 0 then redis.call('HSET', KEYS[rule], tokens_field, 0) end
    adjusted = adjusted + 1
  end
end
return adjusted
`;

/** A Lua script with its SHA1, the name Redis caches it under for EVALSHA. */
export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

function script(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/** The acquire script with its SHA1. */
export const acquireScript: LuaScript = script(ACQUIRE_SCRIPT);
/** The reconcile script with its SHA1. */
export const reconcileScript: LuaScript = script(RECONCILE_SCRIPT);
