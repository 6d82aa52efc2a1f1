package io.sseservice;

/**
 * Observes a service's connections, for metrics and logs. Every method has an empty default.
 * Methods run on the thread that caused the change (an adapter's I/O thread, a sender, or the
 * service's scheduler), outside every lock of the service; they must be quick and must not block.
 * An exception thrown by a listener is logged and otherwise ignored.
 *
 * <p>Thread-safety: implementations must be safe to call from many threads at once.
 */
public interface SseListener {

  /** Called when a connection joined the registry, before its response is committed. */
  default void onConnect(SseConnection connection) {}

  /** Called once per connection when it has ended, after it left the registry. */
  default void onDisconnect(SseConnection connection, CloseReason reason) {}

  /**
   * Called when a connection's queue passed its bound, before the policy is applied: once per
   * episode (until the queue is empty again), however many events it refuses or drops meanwhile.
   */
  default void onSlowConsumer(SseConnection connection, long queuedBytes) {}

  /** Called when {@link SlowConsumerPolicy#DROP_OLDEST} dropped {@code count} queued events. */
  default void onEventsDropped(SseConnection connection, int count) {}

  /**
   * Called when {@code count} events queued for {@code connection} were replaced, unwritten, by a
   * newer event with the same {@linkplain SseEvent.Builder#conflationKey conflation key}. Runs on
   * the sender's thread, once per replacement.
   */
  default void onEventsConflated(SseConnection connection, int count) {}

  /**
   * Called when the backplane failed, after the send returned, to publish {@code event} to
   * {@code target}: the cluster does not have it. (A failure known while sending is thrown to
   * the sender instead.)
   */
  default void onPublishFailed(Target target, SseEvent event, Throwable cause) {}
}
