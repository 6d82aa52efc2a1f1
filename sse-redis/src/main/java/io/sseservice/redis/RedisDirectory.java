package io.sseservice.redis;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.sseservice.ClientInfo;
import io.sseservice.ConnectionInfo;
import io.sseservice.PresenceEvent;
import io.sseservice.spi.ClientDirectory;
import io.sseservice.spi.DirectoryNode;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One node's {@link ClientDirectory} on Redis. Each client is a hash (a field per connection:
 * its node, when it connected and its metadata, as JSON) and a hash of its metadata (a field per
 * key, the value's JSON: merges change single fields), in a set per group;
 * each node keeps a heartbeat key with the TTL and an index of its connections. Every change is
 * one script that also announces, once, a client coming online or going offline, and metadata
 * changes; every node hears them on the directory's channel. Each node beats every third of the
 * TTL, and on each beat removes the connections of nodes whose heartbeat expired (a node that died
 * without leaving): its clients disappear within about 4/3 of the TTL. A node that finds its own
 * heartbeat gone (a partition longer than the TTL, or a Redis that lost its data) announces its
 * connections again.
 *
 * <p>Thread-safety: thread-safe; changes are sent on one connection, in the order they came.
 */
final class RedisDirectory implements ClientDirectory {

  private static final System.Logger LOG = System.getLogger("io.sseservice.redis");

  private final RedisCluster cluster;
  private final Keys keys;
  private volatile @Nullable DirectoryNode node;
  private volatile @Nullable StatefulRedisConnection<String, String> commands;
  private volatile @Nullable StatefulRedisPubSubConnection<String, String> events;
  private volatile @Nullable ScheduledFuture<?> heartbeat;

  /** For tests: a node that died stops beating and changing anything. */
  private volatile boolean dead;

  RedisDirectory(RedisCluster cluster) {
    this.cluster = cluster;
    this.keys = cluster.keys();
  }

  @Override
  public void start(DirectoryNode node) {
    this.node = requireNonNull(node, "node");
    this.commands = cluster.clients().get(0).connect();
    StatefulRedisPubSubConnection<String, String> pubsub = cluster.clients().get(0).connectPubSub();
    pubsub.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, String message) {
            announced(message);
          }
        });
    pubsub.sync().subscribe(keys.directoryEvents());
    this.events = pubsub;
    beat(); // at once: the node is known before its first connection
    long period = Math.max(10, cluster.directoryTtl().toMillis() / 3);
    try {
      heartbeat =
          node.scheduler()
              .scheduleAtFixedRate(this::beatSafely, period, period, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // the service is closing already
    }
  }

  @Override
  public void connectionOpened(ConnectionInfo c, @Nullable Map<String, Object> metadata) {
    if (dead) {
      return;
    }
    String[] k = {
      keys.client(c.group(), c.clientId()),
      keys.groupClients(c.group()),
      keys.groups(),
      keys.nodeConnections(c.nodeId()),
      keys.nodes(),
      keys.clientMetadata(c.group(), c.clientId())
    };
    List<String> argv =
        new ArrayList<>(
            List.of(
                c.id(),
                connectionValue(c),
                c.group(),
                c.clientId(),
                nodeEntry(c),
                c.nodeId(),
                keys.directoryEvents(),
                metadata == null ? "" : "1"));
    if (metadata != null) {
      Json.metadataChanges(metadata, argv);
    }
    redis()
        .eval(DirectoryScripts.OPEN, ScriptOutputType.INTEGER, k, argv.toArray(String[]::new))
        .whenComplete((ok, failure) -> logFailure("announce " + c.id(), failure));
  }

  @Override
  public void connectionClosed(ConnectionInfo c) {
    if (dead) {
      return;
    }
    String[] k = {
      keys.client(c.group(), c.clientId()),
      keys.groupClients(c.group()),
      keys.groups(),
      keys.nodeConnections(c.nodeId()),
      keys.clientMetadata(c.group(), c.clientId())
    };
    redis()
        .eval(
            DirectoryScripts.CLOSE,
            ScriptOutputType.INTEGER,
            k,
            c.id(),
            c.group(),
            c.clientId(),
            nodeEntry(c),
            keys.directoryEvents())
        .whenComplete((ok, failure) -> logFailure("remove " + c.id(), failure));
  }

  @Override
  public CompletionStage<Optional<ClientInfo>> setClientMetadata(
      String group, String clientId, Map<String, Object> metadata) {
    return changeMetadata(group, clientId, metadata, true);
  }

  @Override
  public CompletionStage<Optional<ClientInfo>> mergeClientMetadata(
      String group, String clientId, Map<String, @Nullable Object> changes) {
    return changeMetadata(group, clientId, changes, false);
  }

  private CompletionStage<Optional<ClientInfo>> changeMetadata(
      String group, String clientId, Map<String, @Nullable Object> changes, boolean replace) {
    String[] k = {keys.client(group, clientId), keys.clientMetadata(group, clientId)};
    List<String> argv =
        new ArrayList<>(List.of(group, clientId, keys.directoryEvents(), replace ? "1" : ""));
    Json.metadataChanges(changes, argv);
    return redis()
        .<List<Object>>eval(
            DirectoryScripts.SET_METADATA, ScriptOutputType.MULTI, k, argv.toArray(String[]::new))
        .thenApply(reply -> info(group, clientId, reply));
  }

  @Override
  public CompletionStage<Optional<ClientInfo>> client(String group, String clientId) {
    return read(redis(), group, clientId);
  }

  private CompletionStage<Optional<ClientInfo>> read(
      RedisAsyncCommands<String, String> redis, String group, String clientId) {
    String[] k = {keys.client(group, clientId), keys.clientMetadata(group, clientId)};
    return redis
        .<List<Object>>eval(DirectoryScripts.READ, ScriptOutputType.MULTI, k)
        .thenApply(reply -> info(group, clientId, reply));
  }

  @Override
  public CompletionStage<List<ClientInfo>> clients(String group) {
    RedisAsyncCommands<String, String> redis = redis();
    return redis
        .smembers(keys.groupClients(group))
        .thenCompose(
            ids -> {
              List<CompletableFuture<Optional<ClientInfo>>> each = new ArrayList<>();
              for (String id : ids) {
                each.add(read(redis, group, id).toCompletableFuture());
              }
              return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                  .thenApply(
                      done -> {
                        List<ClientInfo> found = new ArrayList<>();
                        each.forEach(f -> f.join().ifPresent(found::add));
                        return List.copyOf(found);
                      });
            });
  }

  @Override
  public CompletionStage<Set<String>> groups() {
    return redis().smembers(keys.groups()).thenApply(Set::copyOf);
  }

  @Override
  public void close() {
    ScheduledFuture<?> beat = heartbeat;
    if (beat != null) {
      beat.cancel(false);
    }
    DirectoryNode n = node;
    StatefulRedisConnection<String, String> c = commands;
    if (n != null && c != null && !dead) {
      // leave: the connections were removed one by one as they closed; sweep what is left
      try {
        c.sync().del(keys.heartbeat(n.nodeId()));
        sweep(n.nodeId())
            .toCompletableFuture()
            .get(cluster.directoryTtl().toMillis() * 2, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.log(Level.WARNING, "leaving the Redis directory failed; the TTL cleans up", e);
      }
    }
    StatefulRedisPubSubConnection<String, String> pubsub = events;
    if (pubsub != null) {
      pubsub.closeAsync();
    }
    if (c != null) {
      c.closeAsync();
    }
  }

  // ---- heartbeats ----

  private void beatSafely() {
    try {
      beat();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Redis directory heartbeat failed", e);
    }
  }

  private void beat() {
    DirectoryNode n = node;
    if (n == null || dead) {
      return;
    }
    RedisAsyncCommands<String, String> redis = redis();
    String self = n.nodeId();
    redis
        .setGet(keys.heartbeat(self), "1", SetArgs.Builder.px(cluster.directoryTtl().toMillis()))
        .thenAccept(
            previous -> {
              if (previous == null) {
                announceAgain(n); // new, or our entries expired while we could not beat
              }
            });
    redis.sadd(keys.nodes(), self);
    redis
        .smembers(keys.nodes())
        .thenAccept(
            nodes -> {
              for (String other : nodes) {
                if (!other.equals(self)) {
                  redis
                      .exists(keys.heartbeat(other))
                      .thenAccept(
                          alive -> {
                            if (alive == 0) {
                              sweep(other);
                            }
                          });
                }
              }
            });
  }

  private CompletionStage<Long> sweep(String deadNode) {
    String[] k = {
      keys.nodeConnections(deadNode), keys.nodes(), keys.heartbeat(deadNode), keys.groups()
    };
    return redis()
        .<Long>eval(
            DirectoryScripts.SWEEP, ScriptOutputType.INTEGER, k, deadNode, keys.directoryEvents())
        .whenComplete(
            (removed, failure) -> {
              if (removed != null && removed > 0) {
                LOG.log(
                    Level.INFO,
                    "node "
                        + deadNode
                        + " stopped beating: removed its "
                        + removed
                        + " connections from the directory");
              }
              logFailure("sweep node " + deadNode, failure);
            });
  }

  /** Announces every local connection again (and each client's metadata). */
  private void announceAgain(DirectoryNode n) {
    for (ClientInfo client : n.localClients()) {
      boolean first = true;
      for (ConnectionInfo c : client.connections()) {
        connectionOpened(c, first && !client.metadata().isEmpty() ? client.metadata() : null);
        first = false;
      }
    }
  }

  // ---- what the other nodes announced ----

  private void announced(String message) {
    DirectoryNode n = node;
    if (n == null || dead) {
      return;
    }
    try {
      Map<String, Object> json = Json.parseMetadata(message);
      String group = (String) Json.required(json, "g");
      String clientId = (String) Json.required(json, "c");
      if ("P".equals(json.get("t"))) {
        PresenceEvent.Kind kind = PresenceEvent.Kind.valueOf((String) Json.required(json, "k"));
        n.onPresence(new PresenceEvent(kind, group, clientId));
      } else if ("M".equals(json.get("t"))) {
        n.onMetadata(group, clientId, Json.parseMetadata((String) Json.required(json, "m")));
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not take a directory announcement", e);
    }
  }

  // ---- helpers ----

  /** Reads what the scripts return: the client's hash and its metadata as JSON, or nothing. */
  private static Optional<ClientInfo> info(String group, String clientId, List<Object> reply) {
    if (reply.isEmpty()) {
      return Optional.empty();
    }
    List<?> hash = (List<?>) reply.get(0);
    List<ConnectionInfo> connections = new ArrayList<>();
    for (int i = 0; i + 1 < hash.size(); i += 2) {
      Json.Connection c = Json.parseConnection((String) hash.get(i + 1));
      connections.add(
          new ConnectionInfo(
              (String) hash.get(i),
              c.nodeId(),
              group,
              clientId,
              Instant.ofEpochMilli(c.connectedAtMillis()),
              c.metadata()));
    }
    if (connections.isEmpty()) {
      return Optional.empty();
    }
    connections.sort((x, y) -> x.connectedAt().compareTo(y.connectedAt()));
    return Optional.of(
        new ClientInfo(clientId, group, Json.parseMetadata((String) reply.get(1)), connections));
  }

  private static String connectionValue(ConnectionInfo c) {
    return Json.connection(c.nodeId(), c.connectedAt().toEpochMilli(), c.metadata());
  }

  /** The connection's entry in its node's index, enough for a sweep to remove it. */
  private String nodeEntry(ConnectionInfo c) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("k", keys.client(c.group(), c.clientId()));
    entry.put("gk", keys.groupClients(c.group()));
    entry.put("mk", keys.clientMetadata(c.group(), c.clientId()));
    entry.put("id", c.id());
    entry.put("g", c.group());
    entry.put("c", c.clientId());
    return Json.metadata(entry);
  }

  private RedisAsyncCommands<String, String> redis() {
    StatefulRedisConnection<String, String> c = commands;
    if (c == null) {
      throw new IllegalStateException("the Redis directory was not started");
    }
    return c.async();
  }

  private static void logFailure(String what, @Nullable Throwable failure) {
    if (failure != null) {
      LOG.log(Level.WARNING, "Redis directory: could not " + what, failure);
    }
  }

  /** For tests: the node dies without leaving (no more beats, no more changes, no cleanup). */
  void die() {
    dead = true;
    ScheduledFuture<?> beat = heartbeat;
    if (beat != null) {
      beat.cancel(false);
    }
  }

  @Override
  public String toString() {
    DirectoryNode n = node;
    return "RedisDirectory{node=" + (n == null ? "?" : n.nodeId()) + ", " + cluster + '}';
  }
}
