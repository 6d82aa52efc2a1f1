package io.sseservice.redis;

/**
 * The directory's Lua scripts: each change of a client is one atomic step that also decides, and
 * announces once, whether the client came online or went offline cluster-wide. Announcements go
 * out on the directory's pub/sub channel as JSON ({@code t}: P for presence, M for metadata).
 * Every directory key shares the {@code {dir}} hash tag, so the keys a script computes from a
 * node's index stay in its slot.
 *
 * <p>Thread-safety: constants.
 */
final class DirectoryScripts {

  private DirectoryScripts() {}

  /** Lines that count a client's connections: every field but {@code .meta}. */
  private static final String COUNT =
      "local function connections(key) return redis.call('HLEN', key) - redis.call('HEXISTS', key, '.meta') end";

  /** Drops a client when its last connection went: sets, then the offline announcement. */
  private static final String GONE = String.join("\n",
      "local function gone(key, groupKey, groupsKey, group, client, channel)",
      "  redis.call('DEL', key)",
      "  redis.call('SREM', groupKey, client)",
      "  if redis.call('SCARD', groupKey) == 0 then redis.call('SREM', groupsKey, group) end",
      "  redis.call('PUBLISH', channel, cjson.encode({t = 'P', k = 'OFFLINE', g = group, c = client}))",
      "end");

  /**
   * A connection opened. KEYS: client, group's clients, groups, node's connections, nodes.
   * ARGV: connection id, connection info, group, client id, node entry, node id, metadata JSON or
   * "", channel.
   */
  static final String OPEN = String.join("\n",
      COUNT,
      "local before = connections(KEYS[1])",
      "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])",
      "if ARGV[7] ~= '' then",
      "  redis.call('HSET', KEYS[1], '.meta', ARGV[7])",
      "  redis.call('PUBLISH', ARGV[8], cjson.encode({t = 'M', g = ARGV[3], c = ARGV[4], m = ARGV[7]}))",
      "end",
      "redis.call('SADD', KEYS[2], ARGV[4])",
      "redis.call('SADD', KEYS[3], ARGV[3])",
      "redis.call('SADD', KEYS[4], ARGV[5])",
      "redis.call('SADD', KEYS[5], ARGV[6])",
      "if before == 0 then",
      "  redis.call('PUBLISH', ARGV[8], cjson.encode({t = 'P', k = 'ONLINE', g = ARGV[3], c = ARGV[4]}))",
      "end",
      "return before");

  /**
   * A connection ended. KEYS: client, group's clients, groups, node's connections. ARGV:
   * connection id, group, client id, node entry, channel.
   */
  static final String CLOSE = String.join("\n",
      COUNT,
      GONE,
      "redis.call('SREM', KEYS[4], ARGV[4])",
      "if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end",
      "if connections(KEYS[1]) == 0 then gone(KEYS[1], KEYS[2], KEYS[3], ARGV[2], ARGV[3], ARGV[5]) end",
      "return 1");

  /**
   * Removes the connections of a node whose heartbeat expired, as if each had ended. KEYS: the
   * node's connections, nodes, its heartbeat, groups. ARGV: node id, channel. Returns how many
   * connections it removed (0 if the node is alive again).
   */
  static final String SWEEP = String.join("\n",
      COUNT,
      GONE,
      "if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end",
      "local entries = redis.call('SMEMBERS', KEYS[1])",
      "for _, raw in ipairs(entries) do",
      "  local e = cjson.decode(raw)",
      "  if redis.call('HDEL', e.k, e.id) == 1 and connections(e.k) == 0 then",
      "    gone(e.k, e.gk, KEYS[4], e.g, e.c, ARGV[2])",
      "  end",
      "end",
      "redis.call('DEL', KEYS[1])",
      "redis.call('SREM', KEYS[2], ARGV[1])",
      "return #entries");

  /**
   * Replaces a client's metadata, if it has a connection. KEYS: client. ARGV: metadata JSON,
   * group, client id, channel. Returns the client's hash, or empty.
   */
  static final String SET_METADATA = String.join("\n",
      COUNT,
      "if connections(KEYS[1]) == 0 then return {} end",
      "redis.call('HSET', KEYS[1], '.meta', ARGV[1])",
      "redis.call('PUBLISH', ARGV[4], cjson.encode({t = 'M', g = ARGV[2], c = ARGV[3], m = ARGV[1]}))",
      "return redis.call('HGETALL', KEYS[1])");
}
