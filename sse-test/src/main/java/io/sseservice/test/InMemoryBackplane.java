package io.sseservice.test;

import io.sseservice.SseEvent;
import io.sseservice.spi.Backplane;
import io.sseservice.spi.ClusterNode;
import io.sseservice.spi.EventHistory;
import io.sseservice.spi.GroupEvent;
import io.sseservice.spi.GroupRange;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * One node's {@link Backplane} in an {@link InMemoryCluster}: a publish appends to the group's
 * log and hands the event (or its doorbell) to every node's delivery thread, in position order;
 * reads and replays answer on the cluster's store thread, later, as a remote store would.
 *
 * <p>Thread-safety: thread-safe.
 */
final class InMemoryBackplane implements Backplane {

  private final InMemoryCluster cluster;
  private final ClusterHistory history;
  private volatile InMemoryCluster.@Nullable Member self;
  private volatile boolean closed;

  InMemoryBackplane(InMemoryCluster cluster) {
    this.cluster = cluster;
    this.history = new ClusterHistory(cluster);
  }

  @Override
  public void start(ClusterNode node) {
    InMemoryCluster.Member member = cluster.member(node.nodeId());
    member.backplaneNode = node;
    self = member;
  }

  @Override
  public CompletionStage<GroupEvent> publish(
      String group, @Nullable String clientId, SseEvent event) {
    InMemoryCluster.Member member = self;
    if (closed || member == null || member.crashed) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("this node left the in-memory cluster"));
    }
    ClusterLog log = cluster.log(group);
    GroupEvent recorded;
    synchronized (log) { // hand-overs in position order: every node sees the group's order
      recorded = log.append(clientId, event);
      for (InMemoryCluster.Member m : cluster.members()) {
        deliver(m, recorded);
      }
    }
    return CompletableFuture.completedFuture(recorded);
  }

  private void deliver(InMemoryCluster.Member m, GroupEvent event) {
    if (m.crashed || m.feedCut) {
      return; // lost when published: a restore of the feed later does not bring it back
    }
    m.feed.execute(
        () -> {
          ClusterNode node = m.backplaneNode;
          if (m.feedCut || node == null) {
            return; // lost, as a pub/sub message to a broken subscriber is
          }
          if (cluster.feed() == InMemoryCluster.Feed.PUSH) {
            node.onEvent(event);
          } else {
            node.onAppended(event.group(), event.epoch(), event.seq());
          }
        });
  }

  @Override
  public CompletionStage<Void> sendToConnection(
      String nodeId, String connectionId, SseEvent event) {
    if (closed) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("this node left the in-memory cluster"));
    }
    InMemoryCluster.Member m = cluster.member(nodeId);
    if (!m.crashed) {
      m.feed.execute(
          () -> {
            ClusterNode node = m.backplaneNode;
            if (!m.feedCut && node != null) {
              node.onConnectionEvent(connectionId, event);
            }
          });
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<GroupRange> read(String group, String epoch, long afterSeq, int limit) {
    return CompletableFuture.supplyAsync(
        () -> cluster.log(group).read(epoch, afterSeq, limit), cluster.store());
  }

  @Override
  public Optional<EventHistory> history() {
    return Optional.of(history);
  }

  @Override
  public void close() {
    closed = true;
    InMemoryCluster.Member member = self;
    if (member != null) {
      member.backplaneNode = null;
    }
  }

  @Override
  public String toString() {
    InMemoryCluster.Member member = self;
    return "InMemoryBackplane{node=" + (member == null ? "?" : member.nodeId) + '}';
  }
}
