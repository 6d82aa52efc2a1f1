package io.sseservice;

import io.sseservice.internal.SseEncoder;
import io.sseservice.spi.EventHistory;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One periodic task per service, whatever the number of connections: writes a keep-alive comment
 * on each connection idle for the keep-alive interval, and closes each connection whose write has
 * stalled past the write timeout. It runs at half the shorter period, so a connection waits at
 * most 1.5 intervals for its keep-alive.
 */
final class Ticker implements Runnable {

  private static final long MIN_PERIOD_MILLIS = 10;
  /** How often expired history is dropped when neither keep-alive nor write timeout ticks. */
  private static final long HISTORY_EVICTION_MILLIS = 10_000;

  private final SseService service;
  private final long keepAliveMillis;
  private final long writeTimeoutMillis;
  private final @Nullable EventHistory history;

  private Ticker(SseService service, long keepAliveMillis, long writeTimeoutMillis,
      @Nullable EventHistory history) {
    this.service = service;
    this.keepAliveMillis = keepAliveMillis;
    this.writeTimeoutMillis = writeTimeoutMillis;
    this.history = history;
  }

  /** Starts the ticker, or returns null when keep-alive and write timeout are both off. */
  static @Nullable ScheduledFuture<?> start(SseService service, ScheduledExecutorService scheduler,
      Duration keepAlive, Duration writeTimeout, @Nullable EventHistory history) {
    long keepAliveMillis = keepAlive.toMillis();
    long writeTimeoutMillis = writeTimeout.toMillis();
    long shortest = Math.min(keepAliveMillis > 0 ? keepAliveMillis : Long.MAX_VALUE,
        writeTimeoutMillis > 0 ? writeTimeoutMillis : Long.MAX_VALUE);
    if (shortest == Long.MAX_VALUE) {
      if (history == null) {
        return null;
      }
      shortest = HISTORY_EVICTION_MILLIS * 2;
    }
    long period = Math.max(MIN_PERIOD_MILLIS, shortest / 2);
    return scheduler.scheduleAtFixedRate(
        new Ticker(service, keepAliveMillis, writeTimeoutMillis, history),
        period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public void run() {
    try {
      long now = service.nowMillis();
      service.registry().forEachConnection(connection -> check(connection, now));
      if (history != null) {
        history.evictExpired();
      }
    } catch (RuntimeException e) {
      // never let one bad tick cancel the periodic task
      SseService.LOG.log(Level.WARNING, "keep-alive tick failed", e);
    }
  }

  private void check(SseConnection connection, long now) {
    Outbox outbox = connection.outbox();
    if (writeTimeoutMillis > 0 && outbox.stalledMillis(now) >= writeTimeoutMillis) {
      connection.abort(CloseReason.SLOW_CONSUMER, null);
    } else if (keepAliveMillis > 0 && outbox.idleMillis(now) >= keepAliveMillis) {
      outbox.offer(SseEncoder.ping());
    }
  }
}
