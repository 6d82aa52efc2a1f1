package io.sseservice.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URLEncoder;

/**
 * The names of everything sse-redis keeps in Redis, under one prefix. A group's keys share a hash
 * tag ({@code {g:<group>}}), so they land in one slot of a Redis Cluster and one script can touch
 * them all; the directory's keys share one ({@code {dir}}). Group names, client ids and node ids from applications (and peers) are percent-encoded
 * into key names, so no value can break out of its place in a key.
 *
 * <p>Thread-safety: immutable.
 */
final class Keys {

  private final String prefix;

  Keys(String prefix) {
    this.prefix = prefix;
  }

  String prefix() {
    return prefix;
  }

  /** The group's stream: its log, one entry per event, id {@code <seq>-1}. */
  String log(String group) {
    return prefix + "{g:" + encode(group) + "}:log";
  }

  /** The group's position counter. */
  String seq(String group) {
    return prefix + "{g:" + encode(group) + "}:seq";
  }

  /** The group's epoch: one random value per life of its log. */
  String epoch(String group) {
    return prefix + "{g:" + encode(group) + "}:epoch";
  }

  /** The pub/sub channel on which every group's new positions are announced. */
  String feed() {
    return prefix + "feed";
  }

  /** The pub/sub channel of one node: events for its connections. */
  String node(String nodeId) {
    return prefix + "node:" + encode(nodeId);
  }

  // ---- the directory ----

  /** A client's hash: its connections (field: connection id, value: node, time, metadata). */
  String client(String group, String clientId) {
    return prefix + "{dir}:c:" + encode(group) + ":" + encode(clientId);
  }

  /** A client's metadata: a hash of key to the value's JSON. */
  String clientMetadata(String group, String clientId) {
    return prefix + "{dir}:m:" + encode(group) + ":" + encode(clientId);
  }

  /** The set of client ids of a group that have a connection somewhere. */
  String groupClients(String group) {
    return prefix + "{dir}:g:" + encode(group);
  }

  /** The set of groups with a client somewhere. */
  String groups() {
    return prefix + "{dir}:groups";
  }

  /** A node's heartbeat: present while the node lives (it expires after the TTL). */
  String heartbeat(String nodeId) {
    return prefix + "{dir}:alive:" + nodeId;
  }

  /** The set of nodes that may hold connections. */
  String nodes() {
    return prefix + "{dir}:nodes";
  }

  /** A node's connections, as {@code group \n clientId \n connectionId}, to clean up after it. */
  String nodeConnections(String nodeId) {
    return prefix + "{dir}:n:" + nodeId;
  }

  /** The pub/sub channel of directory events: presence and metadata changes. */
  String directoryEvents() {
    return prefix + "{dir}:events";
  }

  static String encode(String value) {
    return URLEncoder.encode(value, UTF_8);
  }
}
