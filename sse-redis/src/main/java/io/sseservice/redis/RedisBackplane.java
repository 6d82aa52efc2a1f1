package io.sseservice.redis;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.ScriptOutputType;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One node's {@link Backplane} on Redis. A publish is one {@link Scripts#PUBLISH} script: it
 * appends the event to the group's stream under the next position and publishes a doorbell
 * ({@code group \n epoch \n seq}) on the feed channel, so the log and the live feed never
 * disagree. Every node subscribes to the feed and reads what it has not delivered yet
 * ({@link Scripts#READ}); a pub/sub reconnect (Lettuce resubscribes by itself) tells the node its
 * feed was interrupted, and it reads every group it follows from where it stopped. A connection
 * target goes to its node's own channel.
 *
 * <p>While Redis is unreachable, publishes wait in Lettuce's queue (up to
 * {@link RedisCluster.Builder#outageBuffer}, for up to {@link RedisCluster.Builder#outageTimeout})
 * and go out in order when it is back; a publish beyond the bound is refused at once.
 *
 * <p>Thread-safety: thread-safe.
 */
final class RedisBackplane implements Backplane {

  private static final System.Logger LOG = System.getLogger("io.sseservice.redis");

  private final RedisCluster cluster;
  private final Keys keys;
  private final LogReader reader;
  private final RedisHistory history;
  private volatile @Nullable StatefulRedisConnection<String, String> commands;
  private volatile @Nullable StatefulRedisPubSubConnection<String, String> feed;
  private volatile @Nullable ClusterNode node;
  private volatile boolean closed;
  /** Subscriptions confirmed for the feed channel: more than one means a reconnect. */
  private final AtomicInteger feedSubscriptions = new AtomicInteger();

  RedisBackplane(RedisCluster cluster) {
    this.cluster = cluster;
    this.keys = cluster.keys();
    this.reader = new LogReader(keys);
    this.history = new RedisHistory(reader, this::redis);
  }

  @Override
  public void start(ClusterNode node) {
    this.node = requireNonNull(node, "node");
    this.commands = cluster.client().connect();
    StatefulRedisPubSubConnection<String, String> pubsub = cluster.client().connectPubSub();
    pubsub.addListener(new Listener(node, keys.feed(), keys.node(node.nodeId())));
    pubsub.sync().subscribe(keys.feed(), keys.node(node.nodeId()));
    this.feed = pubsub;
  }

  @Override
  public CompletionStage<GroupEvent> publish(String group, @Nullable String clientId,
      SseEvent event) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("the Redis backplane is closed"));
    }
    List<String> fields = EventFields.of(clientId, event);
    String[] args = new String[5 + fields.size()];
    args[0] = cluster.newEpoch();
    args[1] = keys.feed();
    args[2] = group;
    args[3] = Integer.toString(cluster.maxEvents());
    args[4] = Long.toString(cluster.maxAge().toMillis());
    for (int i = 0; i < fields.size(); i++) {
      args[5 + i] = fields.get(i);
    }
    String[] groupKeys = {keys.log(group), keys.seq(group), keys.epoch(group)};
    return redis().<List<Object>>eval(Scripts.PUBLISH, ScriptOutputType.MULTI, groupKeys, args)
        .thenApply(reply -> {
          String epoch = (String) reply.get(0);
          long seq = (Long) reply.get(1);
          SseEvent recorded = event.id().isPresent() ? event
              : event.toBuilder().id(EventFields.id(epoch, seq)).build();
          return new GroupEvent(group, epoch, seq, clientId, recorded);
        });
  }

  @Override
  public CompletionStage<Void> sendToConnection(String nodeId, String connectionId,
      SseEvent event) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("the Redis backplane is closed"));
    }
    return redis().publish(keys.node(nodeId), Json.connectionEvent(connectionId, event))
        .thenApply(receivers -> null);
  }

  @Override
  public CompletionStage<GroupRange> read(String group, String epoch, long afterSeq, int limit) {
    return reader.read(redis(), group, epoch, afterSeq, limit);
  }

  @Override
  public Optional<EventHistory> history() {
    return Optional.of(history);
  }

  @Override
  public void close() {
    closed = true;
    StatefulRedisPubSubConnection<String, String> pubsub = feed;
    if (pubsub != null) {
      pubsub.closeAsync();
    }
    StatefulRedisConnection<String, String> c = commands;
    if (c != null) {
      c.closeAsync();
    }
  }

  private RedisAsyncCommands<String, String> redis() {
    StatefulRedisConnection<String, String> c = commands;
    if (c == null) {
      throw new IllegalStateException("the Redis backplane was not started");
    }
    return c.async();
  }

  // ---- for tests: a feed that loses messages, as a broken pub/sub would ----

  /** Stops taking the feed (messages published meanwhile are lost for this node). */
  void suspendFeed() {
    StatefulRedisPubSubConnection<String, String> pubsub = feed;
    if (pubsub != null) {
      pubsub.sync().unsubscribe(keys.feed());
    }
  }

  /** Takes the feed again; the resubscription tells the node its feed was interrupted. */
  void resumeFeed() {
    StatefulRedisPubSubConnection<String, String> pubsub = feed;
    if (pubsub != null) {
      pubsub.sync().subscribe(keys.feed());
    }
  }

  /** Returns the client id of the feed's connection on the server (for CLIENT KILL in tests). */
  long feedClientId() {
    StatefulRedisPubSubConnection<String, String> pubsub = requireNonNull(feed, "feed");
    return pubsub.sync().clientId();
  }

  @Override
  public String toString() {
    ClusterNode n = node;
    return "RedisBackplane{node=" + (n == null ? "?" : n.nodeId()) + ", " + cluster + '}';
  }

  /** The node's end of the pub/sub connection. */
  private final class Listener extends RedisPubSubAdapter<String, String> {
    private final ClusterNode node;
    private final String feedChannel;
    private final String nodeChannel;

    Listener(ClusterNode node, String feedChannel, String nodeChannel) {
      this.node = node;
      this.feedChannel = feedChannel;
      this.nodeChannel = nodeChannel;
    }

    @Override
    public void message(String channel, String message) {
      try {
        if (channel.equals(feedChannel)) {
          doorbell(message);
        } else if (channel.equals(nodeChannel)) {
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
      node.onAppended(message.substring(0, epochAt), message.substring(epochAt + 1, seqAt),
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
