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

  /**
   * Lines that apply metadata changes, given as pairs from {@code ARGV[from]} on: a key, then its
   * value as JSON, or "" to remove the key. Values stay the JSON text Java wrote (a Lua round
   * trip would round large numbers), and the whole metadata is built as text for announcements.
   */
  private static final String METADATA =
      String.join(
          "\n",
          "local function apply(metaKey, from)",
          "  for i = from, #ARGV, 2 do",
          "    if ARGV[i + 1] == '' then redis.call('HDEL', metaKey, ARGV[i])",
          "    else redis.call('HSET', metaKey, ARGV[i], ARGV[i + 1]) end",
          "  end",
          "end",
          "local function metadata(metaKey)",
          "  local fields = redis.call('HGETALL', metaKey)",
          "  local parts = {}",
          "  for i = 1, #fields, 2 do parts[#parts + 1] = cjson.encode(fields[i]) .. ':' .. fields[i + 1] end",
          "  return '{' .. table.concat(parts, ',') .. '}'",
          "end");

  /** Drops a client when its last connection went: sets, then the offline announcement. */
  private static final String GONE =
      String.join(
          "\n",
          "local function gone(key, metaKey, groupKey, groupsKey, group, client, channel)",
          "  redis.call('DEL', key, metaKey)",
          "  redis.call('SREM', groupKey, client)",
          "  if redis.call('SCARD', groupKey) == 0 then redis.call('SREM', groupsKey, group) end",
          "  redis.call('PUBLISH', channel, cjson.encode({t = 'P', k = 'OFFLINE', g = group, c = client}))",
          "end");

  /**
   * A connection opened. KEYS: client, group's clients, groups, node's connections, nodes, client
   * metadata. ARGV: connection id, connection info, group, client id, node entry, node id,
   * channel, "1" if the connect carried client metadata (else ""), then its changes as pairs.
   */
  static final String OPEN =
      String.join(
          "\n",
          METADATA,
          "local before = redis.call('HLEN', KEYS[1])",
          "if before == 0 then redis.call('DEL', KEYS[6]) end",
          "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])",
          "if ARGV[8] == '1' then",
          "  apply(KEYS[6], 9)",
          "  redis.call('PUBLISH', ARGV[7], cjson.encode({t = 'M', g = ARGV[3], c = ARGV[4], m = metadata(KEYS[6])}))",
          "end",
          "redis.call('SADD', KEYS[2], ARGV[4])",
          "redis.call('SADD', KEYS[3], ARGV[3])",
          "redis.call('SADD', KEYS[4], ARGV[5])",
          "redis.call('SADD', KEYS[5], ARGV[6])",
          "if before == 0 then",
          "  redis.call('PUBLISH', ARGV[7], cjson.encode({t = 'P', k = 'ONLINE', g = ARGV[3], c = ARGV[4]}))",
          "end",
          "return before");

  /**
   * A connection ended. KEYS: client, group's clients, groups, node's connections, client
   * metadata. ARGV: connection id, group, client id, node entry, channel.
   */
  static final String CLOSE =
      String.join(
          "\n",
          GONE,
          "redis.call('SREM', KEYS[4], ARGV[4])",
          "if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end",
          "if redis.call('HLEN', KEYS[1]) == 0 then gone(KEYS[1], KEYS[5], KEYS[2], KEYS[3], ARGV[2], ARGV[3], ARGV[5]) end",
          "return 1");

  /**
   * Removes the connections of a node whose heartbeat expired, as if each had ended. KEYS: the
   * node's connections, nodes, its heartbeat, groups. ARGV: node id, channel. Returns how many
   * connections it removed (0 if the node is alive again).
   */
  static final String SWEEP =
      String.join(
          "\n",
          GONE,
          "if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end",
          "local entries = redis.call('SMEMBERS', KEYS[1])",
          "for _, raw in ipairs(entries) do",
          "  local e = cjson.decode(raw)",
          "  if redis.call('HDEL', e.k, e.id) == 1 and redis.call('HLEN', e.k) == 0 then",
          "    gone(e.k, e.mk, e.gk, KEYS[4], e.g, e.c, ARGV[2])",
          "  end",
          "end",
          "redis.call('DEL', KEYS[1])",
          "redis.call('SREM', KEYS[2], ARGV[1])",
          "return #entries");

  /**
   * Replaces ("1") or merges ("") a client's metadata, if it has a connection. KEYS: client, client
   * metadata. ARGV: group, client id, channel, replace, then the changes as pairs. Returns the
   * client's hash and its metadata as JSON, or empty.
   */
  static final String SET_METADATA =
      String.join(
          "\n",
          METADATA,
          "if redis.call('HLEN', KEYS[1]) == 0 then return {} end",
          "if ARGV[4] == '1' then redis.call('DEL', KEYS[2]) end",
          "apply(KEYS[2], 5)",
          "local meta = metadata(KEYS[2])",
          "redis.call('PUBLISH', ARGV[3], cjson.encode({t = 'M', g = ARGV[1], c = ARGV[2], m = meta}))",
          "return {redis.call('HGETALL', KEYS[1]), meta}");

  /** Reads a client. KEYS: client, client metadata. Returns its hash and metadata as JSON. */
  static final String READ =
      String.join("\n", METADATA, "return {redis.call('HGETALL', KEYS[1]), metadata(KEYS[2])}");
}
