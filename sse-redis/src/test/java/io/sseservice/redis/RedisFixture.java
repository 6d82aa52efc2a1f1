package io.sseservice.redis;

import static org.awaitility.Awaitility.await;

import io.sseservice.SseService;
import io.sseservice.test.ClusterFixture;
import io.sseservice.test.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cluster kits' fixture on a real Redis server: each fixture has its own key prefix, so tests
 * on the shared server never see each other, and a short directory TTL, so a dead node is noticed
 * within about a second. Faults: a node's feed unsubscribed (what it misses meanwhile is lost to
 * its pub/sub, as with a broken connection), a node that dies without leaving, FLUSHALL (a Redis
 * that lost its data), a trimmed stream.
 *
 * <p>Thread-safety: used from the test thread.
 */
final class RedisFixture implements ClusterFixture {

  static final Duration TTL = Duration.ofMillis(900);
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  private final List<RedisServer> servers;
  private final RedisCluster cluster;
  private final Keys keys;
  private final Map<String, RedisBackplane> backplanes = new ConcurrentHashMap<>();
  private final Map<String, RedisDirectory> directories = new ConcurrentHashMap<>();

  RedisFixture(RedisServer server) {
    this(List.of(server));
  }

  /** A cluster whose groups are spread over {@code servers}; the first keeps the directory. */
  RedisFixture(List<RedisServer> servers) {
    this.servers = List.copyOf(servers);
    String prefix = "t" + PREFIXES.incrementAndGet() + "-" + System.nanoTime() + ":";
    this.cluster =
        RedisCluster.builder()
            .uris(servers.stream().map(RedisServer::uri).toList())
            .keyPrefix(prefix)
            .directoryTtl(TTL)
            .build();
    this.keys = new Keys(prefix);
  }

  RedisCluster cluster() {
    return cluster;
  }

  @Override
  public SseService.Builder join(SseService.Builder builder, String nodeId) {
    RedisBackplane backplane = (RedisBackplane) cluster.backplane();
    RedisDirectory directory = (RedisDirectory) cluster.directory();
    backplanes.put(nodeId, backplane);
    directories.put(nodeId, directory);
    return builder.nodeId(nodeId).backplane(backplane).directory(directory);
  }

  @Override
  public void cutFeed(String nodeId) {
    backplanes.get(nodeId).suspendFeed();
  }

  @Override
  public void restoreFeed(String nodeId) {
    backplanes.get(nodeId).resumeFeed();
  }

  @Override
  public void crash(String nodeId) {
    directories.get(nodeId).die();
    backplanes.get(nodeId).suspendFeed();
  }

  @Override
  public void awaitCrashNoticed(String nodeId) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> servers.get(0).command("EXISTS", keys.heartbeat(nodeId)).equals(":0"));
  }

  @Override
  public void loseData() {
    servers.forEach(server -> server.command("FLUSHALL"));
  }

  @Override
  public void trimAll(String group) {
    servers.get(cluster.shard(group)).command("XTRIM", keys.log(group), "MAXLEN", "0");
  }

  @Override
  public void close() {
    cluster.close();
  }
}
