package io.sseservice.spring;

import io.sseservice.redis.RedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code sse.redis.*} properties: with {@code sse.redis.uri} (or {@code sse.redis.uris}) set
 * and sse-redis on the classpath, the auto-configured service joins a {@link RedisCluster}. Every
 * default is the cluster builder's own {@code DEFAULT_*} constant.
 *
 * <pre>
 * sse.redis.uri=redis://localhost:6379
 * sse.redis.node-id=${HOSTNAME}
 * sse.redis.max-events=100000
 * </pre>
 *
 * <p>Thread-safety: not thread-safe; bound once at startup, then only read.
 */
@ConfigurationProperties("sse.redis")
public class SseRedisProperties {

  /**
   * The Redis server, e.g. redis://user:password@host:6379/0, rediss:// for TLS, or
   * redis-sentinel://host:26379#mymaster.
   */
  private @Nullable String uri;

  /** Several Redis servers to spread the groups over (instead of uri); the first keeps the directory. */
  private List<String> uris = new ArrayList<>();

  /** This node's id, unique in the cluster; a random one when unset. */
  private @Nullable String nodeId;

  /** The prefix of every key and channel in Redis. */
  private String keyPrefix = RedisCluster.Builder.DEFAULT_KEY_PREFIX;

  /** Events each group's stream keeps (trimming is approximate). */
  private int maxEvents = RedisCluster.Builder.DEFAULT_MAX_EVENTS;

  /** How long each group's stream keeps an event; 0: as long as max-events allows. */
  private Duration maxAge = RedisCluster.Builder.DEFAULT_MAX_AGE;

  /** How long a node's connections outlive its last heartbeat. */
  private Duration directoryTtl = RedisCluster.Builder.DEFAULT_DIRECTORY_TTL;

  /**
   * Sends a node may have waiting for Redis (in flight, or held while it is unreachable); more
   * are refused at once.
   */
  private int maxPendingSends = RedisCluster.Builder.DEFAULT_MAX_PENDING_SENDS;

  /** How long a send waits for an unreachable Redis before it fails. */
  private Duration outageTimeout = RedisCluster.Builder.DEFAULT_OUTAGE_TIMEOUT;

  /** The servers to build the cluster on: {@code uris}, or {@code uri} alone. */
  List<String> servers() {
    if (!uris.isEmpty() && uri != null) {
      throw new IllegalStateException(
          "sse.redis.uri and sse.redis.uris are both set" + " (expected: one of them)");
    }
    return uri != null ? List.of(uri) : List.copyOf(uris);
  }

  /** Returns {@code sse.redis.uri}. */
  public @Nullable String getUri() {
    return uri;
  }

  /** Sets {@code sse.redis.uri}. */
  public void setUri(@Nullable String uri) {
    this.uri = uri;
  }

  /** Returns {@code sse.redis.uris}. */
  public List<String> getUris() {
    return uris;
  }

  /** Sets {@code sse.redis.uris}. */
  public void setUris(List<String> uris) {
    this.uris = uris;
  }

  /** Returns {@code sse.redis.node-id}. */
  public @Nullable String getNodeId() {
    return nodeId;
  }

  /** Sets {@code sse.redis.node-id}. */
  public void setNodeId(@Nullable String nodeId) {
    this.nodeId = nodeId;
  }

  /** Returns {@code sse.redis.key-prefix}. */
  public String getKeyPrefix() {
    return keyPrefix;
  }

  /** Sets {@code sse.redis.key-prefix}. */
  public void setKeyPrefix(String keyPrefix) {
    this.keyPrefix = keyPrefix;
  }

  /** Returns {@code sse.redis.max-events}. */
  public int getMaxEvents() {
    return maxEvents;
  }

  /** Sets {@code sse.redis.max-events}. */
  public void setMaxEvents(int maxEvents) {
    this.maxEvents = maxEvents;
  }

  /** Returns {@code sse.redis.max-age}. */
  public Duration getMaxAge() {
    return maxAge;
  }

  /** Sets {@code sse.redis.max-age}. */
  public void setMaxAge(Duration maxAge) {
    this.maxAge = maxAge;
  }

  /** Returns {@code sse.redis.directory-ttl}. */
  public Duration getDirectoryTtl() {
    return directoryTtl;
  }

  /** Sets {@code sse.redis.directory-ttl}. */
  public void setDirectoryTtl(Duration directoryTtl) {
    this.directoryTtl = directoryTtl;
  }

  /** Returns {@code sse.redis.max-pending-sends}. */
  public int getMaxPendingSends() {
    return maxPendingSends;
  }

  /** Sets {@code sse.redis.max-pending-sends}. */
  public void setMaxPendingSends(int maxPendingSends) {
    this.maxPendingSends = maxPendingSends;
  }

  /** Returns {@code sse.redis.outage-timeout}. */
  public Duration getOutageTimeout() {
    return outageTimeout;
  }

  /** Sets {@code sse.redis.outage-timeout}. */
  public void setOutageTimeout(Duration outageTimeout) {
    this.outageTimeout = outageTimeout;
  }
}
