package io.sseservice;

/**
 * A snapshot of a service's counters, for metrics. Everything counts this node only.
 *
 * <p>Thread-safety: immutable. Each counter is read on its own, so a snapshot taken while the
 * service is busy may mix moments a few microseconds apart.
 *
 * @param connections open connections now
 * @param clients clients with at least one open connection now, over all groups
 * @param groups groups with at least one client now
 * @param eventsSent events queued to a connection since the service started (one per receiver)
 * @param eventsDropped events dropped by {@link SlowConsumerPolicy#DROP_OLDEST}
 * @param slowConsumerDisconnects connections closed as {@link CloseReason#SLOW_CONSUMER}
 * @param historyBytes encoded bytes the event history holds in this process's memory
 * @param publishFailures sends the backplane could not publish (refused at once with an
 *     exception, or failed later and told to {@link SseListener#onPublishFailed}); always 0
 *     without a backplane
 * @param eventsConflated queued events replaced, before they were written, by a newer event with
 *     the same {@linkplain SseEvent.Builder#conflationKey conflation key} (both were counted in
 *     {@code eventsSent} when queued)
 */
public record SseStats(
    int connections,
    int clients,
    int groups,
    long eventsSent,
    long eventsDropped,
    long slowConsumerDisconnects,
    long historyBytes,
    long publishFailures,
    long eventsConflated) {

  /** Returns a snapshot without conflation (the form of 0.2.0): {@code eventsConflated} is 0. */
  public SseStats(
      int connections,
      int clients,
      int groups,
      long eventsSent,
      long eventsDropped,
      long slowConsumerDisconnects,
      long historyBytes,
      long publishFailures) {
    this(
        connections,
        clients,
        groups,
        eventsSent,
        eventsDropped,
        slowConsumerDisconnects,
        historyBytes,
        publishFailures,
        0);
  }
}
