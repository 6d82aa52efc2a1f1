package io.sseservice;

import io.sseservice.internal.SseEncoder;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Two keep-alive comments early in the life of a connection whose transport notices a gone peer
 * only from a failed write (see {@code Transport.noticesPeerGone}). A client that resets is found
 * by the first write after it left, one that closes politely by the second (TCP accepts the
 * first; the peer answers it with a reset), so probes at one and two seconds free the socket of a
 * client that connected and left at once (a page reload, a connect-and-reset loop) within about
 * two seconds instead of at the next keep-alive, which may be minutes away. A connection that
 * wrote anything since the probe was planned needs none. Later in a connection's life the
 * keep-alive interval is the bound.
 *
 * <p>Thread-safety: stateless; the probes run on the service's scheduler.
 */
final class EarlyProbes {

  /** When the probes go out after the stream opened. */
  static final long FIRST_NANOS = TimeUnit.SECONDS.toNanos(1);

  static final long SECOND_NANOS = TimeUnit.SECONDS.toNanos(2);

  private EarlyProbes() {}

  static void schedule(Core core, SseConnection connection) {
    if (!connection.isOpen()) {
      return;
    }
    try {
      core.scheduler.schedule(() -> probe(core, connection), FIRST_NANOS, TimeUnit.NANOSECONDS);
      core.scheduler.schedule(() -> probe(core, connection), SECOND_NANOS, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // the service is closing: every connection ends anyway
    }
  }

  private static void probe(Core core, SseConnection connection) {
    if (!connection.isOpen()) {
      return;
    }
    Outbox outbox = connection.outbox();
    // a write since the last second did the probe's work (or is still under way)
    if (outbox.idleNanos(core.ticker.nanoTime()) >= FIRST_NANOS / 2) {
      outbox.offer(SseEncoder.ping(), -1, null);
    }
  }
}
