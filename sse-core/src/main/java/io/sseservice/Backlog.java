package io.sseservice;

import io.sseservice.spi.Ticker;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections whose queue is over {@code maxQueuedBytes} but not yet a slow consumer: a burst
 * the network has not drained yet. Publishers wait on it ({@link SseService#awaitCapacity}) so
 * that a loop sending faster than the readers read slows to their pace instead of growing every
 * queue until the hard bound cuts them.
 *
 * <p>A member whose write has made no progress for {@link #STALLED_NANOS} no longer holds the
 * publisher back: it is a reader that stopped (or a peer that vanished), which the grace period
 * or the write timeout will end, and the healthy readers must not wait for it.
 *
 * <p>Thread-safety: thread-safe. Outboxes join and leave while holding their own lock (so the
 * set follows each queue's changes in order); this class's monitor is taken after an outbox's
 * and never waits for one. The set is empty, and {@link #hasCapacity()} one volatile read,
 * whenever no queue is over its bound.
 */
final class Backlog {

  /** How long a full connection's write may make no progress before publishers stop waiting. */
  static final long STALLED_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Ticker ticker;
  private final Set<Outbox> members = ConcurrentHashMap.newKeySet();

  /** {@code members.size()}, kept apart so that the common check is one volatile read. */
  private final AtomicInteger size = new AtomicInteger();

  private final AtomicInteger waiters = new AtomicInteger();

  Backlog(Ticker ticker) {
    this.ticker = ticker;
  }

  void enter(Outbox outbox) {
    if (members.add(outbox)) {
      size.incrementAndGet();
    }
  }

  void leave(Outbox outbox) {
    if (members.remove(outbox)) {
      size.decrementAndGet();
      if (waiters.get() > 0) {
        synchronized (this) {
          notifyAll();
        }
      }
    }
  }

  /** Whether no connection is over its bound with its writes still going (see the class). */
  boolean hasCapacity() {
    return size.get() == 0 || nanosUntilCapacity(ticker.nanoTime()) == 0;
  }

  /**
   * Waits until {@link #hasCapacity()} or {@code timeoutNanos} passed; returns whether there is
   * capacity. Wakes when a member leaves, or when the earliest one could count as stalled.
   */
  boolean await(long timeoutNanos) throws InterruptedException {
    if (size.get() == 0) {
      return true;
    }
    // the wait is real time (it parks the thread); stalls are read on the service's ticker
    long deadline = System.nanoTime() + timeoutNanos;
    waiters.incrementAndGet();
    try {
      synchronized (this) {
        while (true) {
          long wait = nanosUntilCapacity(ticker.nanoTime());
          if (wait == 0) {
            return true;
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, wait));
        }
      }
    } finally {
      waiters.decrementAndGet();
    }
  }

  /** 0 when nothing holds publishers back; else how long until the first member could stall. */
  private long nanosUntilCapacity(long now) {
    long soonest = 0;
    for (Outbox outbox : members) {
      long progress = outbox.stalledNanos(now);
      if (progress < STALLED_NANOS) {
        long until = STALLED_NANOS - progress;
        soonest = soonest == 0 ? until : Math.min(soonest, until);
      }
    }
    return soonest;
  }
}
