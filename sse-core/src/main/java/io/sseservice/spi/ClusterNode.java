package io.sseservice.spi;

import io.sseservice.SseEvent;

/**
 * The service as its {@link Backplane} sees it: where the backplane delivers what reaches this
 * node. The service implements it and gives it to {@link Backplane#start}.
 *
 * <p>The service orders each group's events by position itself: it delivers an event to its
 * connections only after every earlier one, drops repeats, and reads a gap from the backplane
 * ({@link Backplane#read}) before going on, or, when the gap is gone, sends the group's
 * connections the {@code sse-reset} event. So a backplane may lose, repeat or delay deliveries;
 * it must only tell when its feed was interrupted.
 *
 * <p>Thread-safety: every method may be called from any thread, concurrently; each returns
 * quickly (no method waits on the network).
 */
public interface ClusterNode extends NodeContext {

  /** An event of a group's log, pushed with its content. */
  void onEvent(GroupEvent event);

  /**
   * A doorbell: {@code group}'s log got events of {@code epoch} from position {@code seq} on (a
   * backplane that appends several at once announces the first of them); the service reads what
   * it has not delivered yet.
   */
  void onAppended(String group, String epoch, long seq);

  /**
   * The feed was interrupted and works again (a pub/sub reconnect): any group may have missed
   * events meanwhile, so the service reads each group it follows from where it stopped.
   */
  void onFeedRestored();

  /** An event for this node's connection {@code connectionId}, outside every group's order. */
  void onConnectionEvent(String connectionId, SseEvent event);
}
