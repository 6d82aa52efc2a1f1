package io.sseservice.test;

import static java.util.Objects.requireNonNull;

import io.sseservice.SseService;
import io.sseservice.spi.Backplane;
import io.sseservice.spi.ClientDirectory;
import io.sseservice.spi.ClusterNode;
import io.sseservice.spi.EventHistory;
import io.sseservice.spi.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A cluster inside one JVM: joins several {@link SseService}s as nodes, with a
 * {@link Backplane}, a {@link ClientDirectory} and an {@link EventHistory} that behave like the
 * Redis ones of {@code sse-redis} (per-group logs with positions and epochs, deliveries that reach
 * each node on its own thread, a directory whose nodes expire when their heartbeats stop), and
 * faults to inject: a node whose feed loses messages, a crashed node, a store that lost its data.
 * The compatibility kits run on it, and so do tests of applications that run several nodes.
 *
 * <pre>{@code
 * InMemoryCluster cluster = InMemoryCluster.create();
 * SseService a = cluster.join(SseService.builder(), "a").build();
 * SseService b = cluster.join(SseService.builder(), "b").build();
 * // a client connected to b receives what a sends:
 * a.sendToClient("u1", "hi");
 * }</pre>
 *
 * <p>Thread-safety: thread-safe.
 */
public final class InMemoryCluster implements AutoCloseable {

  /** How each node learns of new events. */
  public enum Feed {
    /** Each event is pushed to every node with its content ({@code ClusterNode.onEvent}). */
    PUSH,
    /** Each event is announced by its position; nodes read it ({@code ClusterNode.onAppended}). */
    DOORBELL
  }

  /** One node as the cluster knows it. Guarded by the cluster's monitor unless volatile. */
  static final class Member {
    final String nodeId;
    final ExecutorService feed;
    volatile @Nullable ClusterNode backplaneNode;
    volatile boolean feedCut;
    volatile boolean crashed;
    volatile long lastHeartbeat;

    Member(String nodeId) {
      this.nodeId = nodeId;
      this.feed =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "in-memory-cluster-" + nodeId);
                t.setDaemon(true);
                return t;
              });
    }
  }

  private final Map<String, ClusterLog> logs = new ConcurrentHashMap<>();
  private final Map<String, Member> members = new ConcurrentHashMap<>();
  private final AtomicLong epochs = new AtomicLong();
  private final ExecutorService store =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "in-memory-cluster-store");
            t.setDaemon(true);
            return t;
          });
  private final Feed feed;
  private final int maxEvents;
  private final Duration ttl;
  private final Ticker ticker;
  private final DirectoryState directory;

  private InMemoryCluster(Builder b) {
    this.feed = b.feed;
    this.maxEvents = b.maxEvents;
    this.ttl = b.ttl;
    this.ticker = b.ticker;
    this.directory = new DirectoryState(this);
  }

  /** Returns a cluster with the defaults: pushed feed, 10,000 events per group, 10 s TTL. */
  public static InMemoryCluster create() {
    return builder().build();
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Makes {@code builder} a node of this cluster named {@code nodeId}: sets its node id, a
   * backplane (with the cluster's history) and a directory.
   */
  public SseService.Builder join(SseService.Builder builder, String nodeId) {
    return builder.nodeId(nodeId).backplane(backplane()).directory(directory());
  }

  /** Returns a new node's backplane; the node joins when its service starts it. */
  public Backplane backplane() {
    return new InMemoryBackplane(this);
  }

  /** Returns a new node's directory; the node joins when its service starts it. */
  public ClientDirectory directory() {
    return new InMemoryDirectory(directory);
  }

  // ---- faults ----

  /** From now on the node's live feed loses every delivery, as a broken pub/sub would. */
  public void cutFeed(String nodeId) {
    member(nodeId).feedCut = true;
  }

  /** The node's feed works again, and the node is told it was interrupted. */
  public void restoreFeed(String nodeId) {
    Member m = member(nodeId);
    m.feedCut = false;
    m.feed.execute(
        () -> {
          ClusterNode node = m.backplaneNode;
          if (node != null) {
            node.onFeedRestored();
          }
        });
  }

  /**
   * The node dies: it gets nothing more and its heartbeats stop, so the directory drops its
   * connections once the TTL has passed and a surviving node's heartbeat notices.
   */
  public void crash(String nodeId) {
    Member m = member(nodeId);
    m.crashed = true;
    m.feedCut = true;
  }

  /** Every group's log is lost and starts again in a new epoch, as after a store's data loss. */
  public void loseData() {
    for (ClusterLog log : logs.values()) {
      log.lose(newEpoch());
    }
  }

  /** Drops {@code group}'s events up to and including position {@code through}. */
  public void trim(String group, long through) {
    ClusterLog log = logs.get(group);
    if (log != null) {
      log.trim(through);
    }
  }

  /**
   * Lets every node that did not crash beat now, then drops every node whose last heartbeat is
   * older than the TTL, as the next heartbeat of a live node would.
   */
  public void expireSilentNodes() {
    members
        .values()
        .forEach(
            m -> {
              if (!m.crashed) {
                m.lastHeartbeat = ticker.nanoTime();
              }
            });
    directory.expire();
  }

  /** Waits until every delivery handed to a node so far has run. */
  public void awaitDeliveries() {
    for (int round = 0; round < 3; round++) { // deliveries may start reads that deliver more
      CountDownLatch done = new CountDownLatch(members.size() + 1);
      members.values().forEach(m -> m.feed.execute(done::countDown));
      store.execute(done::countDown);
      try {
        if (!done.await(10, TimeUnit.SECONDS)) {
          throw new AssertionError("cluster deliveries did not finish within 10 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /**
   * Returns this cluster as the compatibility kits use it. {@code passTime} moves the heartbeats'
   * ticker past the TTL when a crash is to be noticed: give it your {@link ManualClock}'s
   * {@code advance}, or null to wait for the TTL in real time.
   */
  public ClusterFixture fixture(java.util.function.@Nullable Consumer<Duration> passTime) {
    InMemoryCluster cluster = this;
    return new ClusterFixture() {
      @Override
      public SseService.Builder join(SseService.Builder builder, String nodeId) {
        return cluster.join(builder, nodeId);
      }

      @Override
      public void cutFeed(String nodeId) {
        cluster.cutFeed(nodeId);
      }

      @Override
      public void restoreFeed(String nodeId) {
        cluster.restoreFeed(nodeId);
      }

      @Override
      public void crash(String nodeId) {
        cluster.crash(nodeId);
      }

      @Override
      public void awaitCrashNoticed(String nodeId) {
        if (passTime != null) {
          passTime.accept(ttl.plusMillis(1));
        } else {
          sleep(ttl.plusMillis(100));
        }
        cluster.expireSilentNodes();
      }

      @Override
      public void loseData() {
        cluster.loseData();
      }

      @Override
      public void trimAll(String group) {
        cluster.trim(group, Long.MAX_VALUE);
      }

      @Override
      public void close() {
        cluster.close();
      }
    };
  }

  /** Returns this cluster as the kits use it, noticing crashes after the TTL in real time. */
  public ClusterFixture fixture() {
    return fixture(null);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the cluster's threads. */
  @Override
  public void close() {
    members.values().forEach(m -> m.feed.shutdownNow());
    store.shutdownNow();
  }

  // ---- shared with the per-node parts ----

  Member member(String nodeId) {
    return members.computeIfAbsent(requireNonNull(nodeId, "nodeId"), Member::new);
  }

  List<Member> members() {
    return List.copyOf(members.values());
  }

  ClusterLog log(String group) {
    return logs.computeIfAbsent(group, g -> new ClusterLog(g, newEpoch(), maxEvents));
  }

  @Nullable ClusterLog existingLog(String group) {
    return logs.get(group);
  }

  Feed feed() {
    return feed;
  }

  ExecutorService store() {
    return store;
  }

  Duration ttl() {
    return ttl;
  }

  Ticker ticker() {
    return ticker;
  }

  private String newEpoch() {
    return "e" + epochs.incrementAndGet();
  }

  /**
   * Builds an {@link InMemoryCluster}.
   *
   * <p>Thread-safety: not thread-safe.
   */
  public static final class Builder {
    private Feed feed = Feed.PUSH;
    private int maxEvents = 10_000;
    private Duration ttl = Duration.ofSeconds(10);
    private Ticker ticker = Ticker.system();

    private Builder() {}

    /** Sets how nodes learn of new events; default {@link Feed#PUSH}. */
    public Builder feed(Feed feed) {
      this.feed = requireNonNull(feed, "feed");
      return this;
    }

    /** Sets how many events each group's log keeps; default 10,000. */
    public Builder maxEvents(int maxEvents) {
      if (maxEvents <= 0) {
        throw new IllegalArgumentException("maxEvents: " + maxEvents + " (expected: > 0)");
      }
      this.maxEvents = maxEvents;
      return this;
    }

    /** Sets how long a node's connections outlive its last heartbeat; default 10 seconds. */
    public Builder ttl(Duration ttl) {
      this.ttl = requireNonNull(ttl, "ttl");
      return this;
    }

    /** Sets the time source of heartbeats; tests inject a {@link ManualClock}. */
    public Builder ticker(Ticker ticker) {
      this.ticker = requireNonNull(ticker, "ticker");
      return this;
    }

    /** Returns the cluster. */
    public InMemoryCluster build() {
      return new InMemoryCluster(this);
    }
  }
}
