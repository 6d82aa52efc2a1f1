package io.sseservice.redis;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.sseservice.SseEvent;
import io.sseservice.spi.Backplane;
import io.sseservice.spi.ClusterNode;
import io.sseservice.spi.EventHistory;
import io.sseservice.spi.GroupEvent;
import io.sseservice.spi.GroupRange;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One node's {@link Backplane} on Redis. A publish is one {@link Scripts#PUBLISH} script: it
 * appends the group's waiting events to its stream under the next positions and publishes a
 * doorbell ({@code group \n epoch \n first seq}) on the feed channel, so the log and the live
 * feed never disagree ({@link GroupPublisher}: one call in flight per group, the sends made
 * meanwhile in the next). Every node subscribes to the feed and reads what it has not delivered yet
 * ({@link Scripts#READ}); a pub/sub reconnect (Lettuce resubscribes by itself) tells the node its
 * feed was interrupted, and it reads every group it follows from where it stopped. A connection
 * target goes to its node's own channel.
 *
 * <p>Sends wait for Redis's answer, in flight or, while Redis is unreachable, in Lettuce's queue
 * (for up to {@link RedisCluster.Builder#outageTimeout}), and go out in order when it is back; a
 * send beyond {@link RedisCluster.Builder#maxPendingSends} is refused at once.
 *
 * <p>Thread-safety: thread-safe.
 */
final class RedisBackplane implements Backplane {

  private static final System.Logger LOG = System.getLogger("io.sseservice.redis");

  private final RedisCluster cluster;
  private final Keys keys;
  private final LogReader reader;
  private final RedisHistory history;

  /** Per server (see {@link RedisCluster#shard}): commands, and the feed's subscription. */
  private volatile List<StatefulRedisConnection<String, String>> commands = List.of();

  private volatile List<StatefulRedisPubSubConnection<String, String>> feeds = List.of();

  /** Sends published and not yet answered by Redis. */
  private final AtomicInteger pending = new AtomicInteger();

  /** Per group with sends under way: their order, and the batching of their script calls. */
  private final ConcurrentHashMap<String, GroupPublisher> publishers = new ConcurrentHashMap<>();

  private volatile @Nullable ClusterNode node;
  private volatile boolean closed;

  RedisBackplane(RedisCluster cluster) {
    this.cluster = cluster;
    this.keys = cluster.keys();
    this.reader = new LogReader(keys);
    this.history = new RedisHistory(reader, group -> redis(cluster.shard(group)));
  }

  @Override
  public void start(ClusterNode node) {
    this.node = requireNonNull(node, "node");
    List<StatefulRedisConnection<String, String>> made = new ArrayList<>();
    List<StatefulRedisPubSubConnection<String, String>> subscribed = new ArrayList<>();
    List<RedisClient> clients = cluster.clients();
    for (int i = 0; i < clients.size(); i++) {
      made.add(clients.get(i).connect());
      StatefulRedisPubSubConnection<String, String> pubsub = clients.get(i).connectPubSub();
      // every server rings its own groups' doorbells; the first carries the nodes' channels
      String nodeChannel = i == 0 ? keys.node(node.nodeId()) : null;
      pubsub.addListener(new Listener(node, keys.feed(), nodeChannel));
      if (nodeChannel != null) {
        pubsub.sync().subscribe(keys.feed(), nodeChannel);
      } else {
        pubsub.sync().subscribe(keys.feed());
      }
      subscribed.add(pubsub);
    }
    this.commands = List.copyOf(made);
    this.feeds = List.copyOf(subscribed);
  }

  @Override
  public CompletionStage<GroupEvent> publish(
      String group, @Nullable String clientId, SseEvent event) {
    if (closed) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("the Redis backplane is closed"));
    }
    if (pending.incrementAndGet() > cluster.maxPendingSends()) {
      pending.decrementAndGet();
      return CompletableFuture.failedFuture(
          new IllegalStateException(
              cluster.maxPendingSends()
                  + " sends are waiting for Redis (maxPendingSends"
                  + (cluster.isUnreachable()
                      ? "; Redis is unreachable)"
                      : "; Redis is slower than the senders)")));
    }
    List<String> fields = EventFields.of(clientId, event);
    int chars = 0;
    for (String field : fields) {
      chars += field.length();
    }
    GroupPublisher.Send send =
        new GroupPublisher.Send(clientId, event, fields, chars, new CompletableFuture<>());
    try {
      while (!publishers
          .computeIfAbsent(
              group,
              g ->
                  new GroupPublisher(
                      g, publishers, redis(cluster.shard(g)), cluster, n -> pending.addAndGet(-n)))
          .offer(send)) {
        // that group's publisher retired between the lookup and the offer: take a new one
      }
    } catch (RuntimeException e) {
      pending.decrementAndGet();
      throw e;
    }
    return send.result();
  }

  @Override
  public CompletionStage<Void> sendToConnection(
      String nodeId, String connectionId, SseEvent event) {
    if (closed) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("the Redis backplane is closed"));
    }
    return redis(0)
        .publish(keys.node(nodeId), Json.connectionEvent(connectionId, event))
        .thenApply(receivers -> null);
  }

  @Override
  public CompletionStage<GroupRange> read(String group, String epoch, long afterSeq, int limit) {
    return reader.read(redis(cluster.shard(group)), group, epoch, afterSeq, limit);
  }

  @Override
  public Optional<EventHistory> history() {
    return Optional.of(history);
  }

  @Override
  public void close() {
    closed = true;
    feeds.forEach(StatefulRedisPubSubConnection::closeAsync);
    commands.forEach(StatefulRedisConnection::closeAsync);
  }

  /** The commands of server {@code shard}. */
  RedisAsyncCommands<String, String> redis(int shard) {
    List<StatefulRedisConnection<String, String>> c = commands;
    if (c.isEmpty()) {
      throw new IllegalStateException("the Redis backplane was not started");
    }
    return c.get(shard).async();
  }

  // ---- for tests: a feed that loses messages, as a broken pub/sub would ----

  /** Stops taking the feed (messages published meanwhile are lost for this node). */
  void suspendFeed() {
    feeds.forEach(pubsub -> pubsub.sync().unsubscribe(keys.feed()));
  }

  /** Takes the feed again; the resubscription tells the node its feed was interrupted. */
  void resumeFeed() {
    feeds.forEach(pubsub -> pubsub.sync().subscribe(keys.feed()));
  }

  @Override
  public String toString() {
    ClusterNode n = node;
    return "RedisBackplane{node=" + (n == null ? "?" : n.nodeId()) + ", " + cluster + '}';
  }

  /** The node's end of one server's pub/sub connection. */
  private static final class Listener extends RedisPubSubAdapter<String, String> {
    private final ClusterNode node;
    private final String feedChannel;
    private final @Nullable String nodeChannel;

    /** Subscriptions confirmed for the feed channel: more than one means a reconnect. */
    private final AtomicInteger feedSubscriptions = new AtomicInteger();

    Listener(ClusterNode node, String feedChannel, @Nullable String nodeChannel) {
      this.node = node;
      this.feedChannel = feedChannel;
      this.nodeChannel = nodeChannel;
    }

    @Override
    public void message(String channel, String message) {
      try {
        if (channel.equals(feedChannel)) {
          doorbell(message);
        } else if (nodeChannel != null && channel.equals(nodeChannel)) {
          Json.ConnectionEvent e = Json.parseConnectionEvent(message);
          node.onConnectionEvent(e.connectionId(), e.event());
        }
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "could not take a message from " + channel, e);
      }
    }

    private void doorbell(String message) {
      int seqAt = message.lastIndexOf('\n');
      int epochAt = message.lastIndexOf('\n', seqAt - 1);
      node.onAppended(
          message.substring(0, epochAt),
          message.substring(epochAt + 1, seqAt),
          Long.parseLong(message.substring(seqAt + 1)));
    }

    @Override
    public void subscribed(String channel, long count) {
      if (channel.equals(feedChannel) && feedSubscriptions.incrementAndGet() > 1) {
        LOG.log(Level.INFO, "the Redis feed is back; catching up on every group");
        node.onFeedRestored();
      }
    }
  }
}
