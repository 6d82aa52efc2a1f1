package io.sseservice.redis;

import java.nio.charset.StandardCharsets;

/**
 * The Lua scripts sse-redis runs on the server. Each is one atomic step: Redis runs a script
 * alone, so the log, the position counter, the epoch and the doorbell can never disagree. They are
 * sent whole with {@code EVAL} every time: a cached script ({@code EVALSHA}) is gone after a
 * restart without persistence, and retrying the publishes queued during the outage one by one
 * would reorder them.
 *
 * <p>They are kept as UTF-8 bytes: Lettuce would otherwise encode the text of each again on
 * every send.
 *
 * <p>Thread-safety: constants (never written to).
 */
final class Scripts {

  private Scripts() {}

  private static byte[] script(String... lines) {
    return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Appends events to a group's log and rings the feed once. KEYS: log, seq, epoch. ARGV: a fresh
   * epoch (used if the group has none), the feed channel, the group, the most entries to keep,
   * the longest age to keep in milliseconds (0: any), the number of events, then per event the
   * number of its field-value strings and those strings. Returns {epoch, first seq}: the events
   * got consecutive positions from it.
   */
  static final byte[] PUBLISH =
      script(
          "local epoch = redis.call('GET', KEYS[3])",
          "if not epoch then",
          "  epoch = ARGV[1]",
          "  redis.call('SET', KEYS[3], epoch)",
          "  redis.call('DEL', KEYS[1], KEYS[2])", // a log without its epoch is from another life
          "end",
          "local count = tonumber(ARGV[6])",
          "local first = redis.call('INCRBY', KEYS[2], count) - count + 1",
          "local time = redis.call('TIME')",
          "local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)",
          "local at = 7",
          "for e = 0, count - 1 do",
          "  local fields = tonumber(ARGV[at])",
          "  local add = {'XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], (first + e) .. '-1', 't', tostring(now)}",
          "  for i = at + 1, at + fields do add[#add + 1] = ARGV[i] end",
          "  at = at + fields + 1",
          "  redis.call(unpack(add))",
          "end",
          "local maxAge = tonumber(ARGV[5])",
          "if maxAge > 0 then",
          "  local cutoff = now - maxAge",
          // trimmed in steps, once the oldest entry is a sixteenth of maxAge past it: most sends
          // look at one entry ('t' is every entry's first field)
          "  local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)",
          "  if #first > 0 and tonumber(first[1][2][2]) < cutoff - math.floor(maxAge / 16) then",
          "    local oldest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 256)",
          "    local keep = nil",
          "    for _, entry in ipairs(oldest) do",
          "      if tonumber(entry[2][2]) >= cutoff then keep = entry[1] break end",
          "    end",
          "    if keep then",
          "      redis.call('XTRIM', KEYS[1], 'MINID', keep)",
          "    else",
          "      local lastSeq = tonumber(string.match(oldest[#oldest][1], '^(%d+)'))",
          "      redis.call('XTRIM', KEYS[1], 'MINID', (lastSeq + 1) .. '-0')",
          "    end",
          "  end",
          "end",
          "redis.call('PUBLISH', ARGV[2], ARGV[3] .. '\\n' .. epoch .. '\\n' .. first)",
          "return {epoch, first}");

  /**
   * Reads a group's log after a position. KEYS: log, seq, epoch. ARGV: the epoch asked about, the
   * position to read after, the most entries. Returns {epoch, newest seq, gone (1 or 0), the
   * newest entry or {}, entries}: gone when the epoch differs or the entry right after the
   * position is no longer held. The newest entry is left out when the entries end with it (the
   * common case of a node catching up: one range read, nothing else).
   */
  static final byte[] READ =
      script(
          "local epoch = redis.call('GET', KEYS[3]) or ''",
          "local newest = tonumber(redis.call('GET', KEYS[2]) or '0')",
          "local function newestEntry()",
          "  local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)",
          "  if #last > 0 then return last[1] end",
          "  return {}",
          "end",
          "if epoch ~= ARGV[1] then return {epoch, newest, 1, newestEntry(), {}} end",
          "local after = tonumber(ARGV[2])",
          "if after > newest then return {epoch, newest, 1, newestEntry(), {}} end",
          "if after == newest then return {epoch, newest, 0, newestEntry(), {}} end",
          "local entries = redis.call('XRANGE', KEYS[1], '(' .. after .. '-1', '+', 'COUNT', tonumber(ARGV[3]))",
          "if #entries == 0 or tonumber(string.match(entries[1][1], '^(%d+)')) ~= after + 1 then",
          "  return {epoch, newest, 1, newestEntry(), {}}",
          "end",
          "if tonumber(string.match(entries[#entries][1], '^(%d+)')) == newest then",
          "  return {epoch, newest, 0, {}, entries}",
          "end",
          "return {epoch, newest, 0, newestEntry(), entries}");
}
