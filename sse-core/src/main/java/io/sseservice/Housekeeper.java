package io.sseservice;

import io.sseservice.internal.SseEncoder;
import io.sseservice.spi.EventHistory;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One periodic task per service, whatever the number of connections, running a list of duties on
 * the monotonic ticker: keep-alive comments on idle connections, closing connections whose write
 * stalled past the write timeout, evicting expired history, and dropping the locks of groups gone
 * quiet. Each duty, and each connection
 * within a duty, is isolated: one that throws is logged and the rest of the tick still runs. It
 * runs at half the shortest period, so a connection waits at most 1.5 keep-alive intervals.
 *
 * <p>Thread-safety: runs on the service's scheduler, one tick at a time.
 */
final class Housekeeper implements Runnable {

  /** One periodic job; {@code now} is the ticker's reading at the start of the tick. */
  interface Duty {
    void run(long now);
  }

  private static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** How often expired history is dropped when neither keep-alive nor write timeout ticks. */
  private static final long HISTORY_EVICTION_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Core core;
  private final List<Duty> duties;

  private Housekeeper(Core core, List<Duty> duties) {
    this.core = core;
    this.duties = duties;
  }

  /** Starts the duties that the options call for; returns null when there is none. */
  static @Nullable ScheduledFuture<?> start(
      Core core, ScheduledExecutorService scheduler, @Nullable EventHistory history) {
    long keepAlive = core.config.keepAliveInterval().toNanos();
    long writeTimeout = core.config.writeTimeout().toNanos();
    List<Duty> duties = new ArrayList<>();
    long shortest = Long.MAX_VALUE;
    if (keepAlive > 0 || writeTimeout > 0) {
      duties.add(connectionChecks(core, keepAlive, writeTimeout));
      shortest =
          Math.min(
              keepAlive > 0 ? keepAlive : Long.MAX_VALUE,
              writeTimeout > 0 ? writeTimeout : Long.MAX_VALUE);
    }
    if (history != null) {
      duties.add(now -> history.evictExpired());
      shortest = Math.min(shortest, HISTORY_EVICTION_NANOS * 2);
    }
    if (history != null || core.config.clustered()) {
      duties.add(now -> core.locks.sweep()); // the group locks of groups gone quiet
      shortest = Math.min(shortest, HISTORY_EVICTION_NANOS * 2);
    }
    if (duties.isEmpty()) {
      return null;
    }
    long period = Math.max(MIN_PERIOD_NANOS, shortest / 2);
    return scheduler.scheduleAtFixedRate(
        new Housekeeper(core, List.copyOf(duties)), period, period, TimeUnit.NANOSECONDS);
  }

  @Override
  public void run() {
    long now = core.ticker.nanoTime();
    for (Duty duty : duties) {
      try {
        duty.run(now);
      } catch (RuntimeException | LinkageError e) {
        // never let one duty cancel the periodic task or the others
        SseService.LOG.log(Level.WARNING, "housekeeping duty failed", e);
      }
    }
  }

  /** Keep-alive and write timeout, over every connection; one failing connection ends alone. */
  private static Duty connectionChecks(Core core, long keepAlive, long writeTimeout) {
    return now ->
        core.registry.forEachConnection(
            connection -> {
              try {
                Outbox outbox = connection.outbox();
                if (writeTimeout > 0 && outbox.stalledNanos(now) >= writeTimeout) {
                  connection.abort(CloseReason.SLOW_CONSUMER, null);
                } else if (keepAlive > 0 && outbox.idleNanos(now) >= keepAlive) {
                  outbox.offer(SseEncoder.ping(), -1, null);
                }
              } catch (RuntimeException e) {
                SseService.LOG.log(
                    Level.WARNING, "keep-alive check of " + connection + " failed", e);
                connection.abort(CloseReason.PEER_GONE, e);
              }
            });
  }
}
