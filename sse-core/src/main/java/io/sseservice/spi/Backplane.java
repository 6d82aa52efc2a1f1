package io.sseservice.spi;

import io.sseservice.SseEvent;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Carries every send to every node of a cluster, in one order per group. With a backplane, a send
 * on any node is published once; every node (the publisher too) delivers it to its own
 * connections when the backplane hands it back, so every connection of a group, wherever it is,
 * sees the group's events in the same order. Implementations: {@code sse-redis} (Redis streams
 * and pub/sub); {@code InMemoryCluster} in {@code sse-test} joins services of one JVM.
 *
 * <p>The contract the service relies on:
 * <ul>
 *   <li>{@link #publish} appends the event to its group's log and makes it known to the nodes in
 *       one step, so that the log (replay) and the live feed never disagree; it assigns the
 *       event's position ({@code epoch}, {@code seq} one more than the previous) and, unless the
 *       sender gave one, its id.
 *   <li>From {@link #start} on, every event of every group reaches every node's
 *       {@link ClusterNode}, pushed ({@link ClusterNode#onEvent}) or announced
 *       ({@link ClusterNode#onAppended}), in position order per group; deliveries may be lost or
 *       repeated, as long as {@link ClusterNode#onFeedRestored} tells of an interruption.
 *   <li>{@link #read} returns a range of a group's log while the log still holds it.
 * </ul>
 *
 * <p>Nothing here may block: remote work completes the returned stage later. A publish the
 * backplane cannot take (a full buffer while its store is unreachable, a closed backplane)
 * completes exceptionally, or throws, with an exception the service gives to the sender.
 *
 * <p>Thread-safety: implementations must be thread-safe.
 */
public interface Backplane extends AutoCloseable {

  /** Joins the cluster as {@code node}; called once, before any other method. */
  void start(ClusterNode node);

  /**
   * Appends {@code event} to {@code group}'s log, for every connection of the group
   * ({@code clientId} null) or for one client's, and makes it known to every node.
   *
   * @return completes with the event as recorded (position and final id)
   */
  CompletionStage<GroupEvent> publish(String group, @Nullable String clientId, SseEvent event);

  /**
   * Carries {@code event} to connection {@code connectionId} of node {@code nodeId}, outside every
   * group's log: not kept for replay, not ordered with the group's events.
   */
  CompletionStage<Void> sendToConnection(String nodeId, String connectionId, SseEvent event);

  /**
   * Reads up to {@code limit} events of {@code group}'s log after position {@code afterSeq}, to
   * fill a gap. Positions of another epoch than the log's current one are gone. The node asks
   * with the empty epoch to learn where a group's log is (its epoch and newest position) when a
   * connection joins a group of which it has seen no event yet: the answer is gone, or, when
   * the group has no log at all, has the empty epoch.
   */
  CompletionStage<GroupRange> read(String group, String epoch, long afterSeq, int limit);

  /**
   * Returns the history over this backplane's log, which every node replays from, if the
   * backplane keeps one. The service then uses it for {@code Last-Event-ID} replay.
   */
  default Optional<EventHistory> history() {
    return Optional.empty();
  }

  /** Leaves the cluster; later publishes fail. Called once, when the service closes. */
  @Override
  void close();
}
