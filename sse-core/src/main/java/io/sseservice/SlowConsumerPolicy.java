package io.sseservice;

/**
 * What the service does when a connection's queue of unwritten events passes
 * {@link SseService.Builder#maxQueuedBytes(long)}.
 *
 * <p>Thread-safety: an enum, immutable.
 */
public enum SlowConsumerPolicy {
  /**
   * Closes the connection (reason {@link CloseReason#SLOW_CONSUMER}). The client reconnects and,
   * with event history, catches up. Nothing is dropped silently. The default.
   */
  DISCONNECT,
  /**
   * Drops the oldest queued events until the new one fits, and keeps the connection. Each drop is
   * counted in {@link SseStats#eventsDropped()} and reported to {@link SseListener#onEventsDropped}.
   * For streams where only the latest value matters (prices, positions).
   */
  DROP_OLDEST
}
