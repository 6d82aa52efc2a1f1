package io.sseservice.spring;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Turns a counter that only grows (slow-consumer disconnects) into a per-minute rate over the
 * last minute, from samples taken when it is asked: no timer, no thread. The rate covers the
 * span from the newest sample at least a minute old to now, so with health checks every few
 * seconds it is the last minute or a little more; in the first minute it is the count since the
 * start (nothing happened before it). Keeps at most one sample a second, about 60 in all.
 *
 * <p>Thread-safety: thread-safe; {@link #perMinute} is synchronized (health checks are rare).
 */
final class PerMinuteRate {

  private static final long WINDOW = TimeUnit.MINUTES.toNanos(1);
  private static final long STEP = TimeUnit.SECONDS.toNanos(1);

  private final LongSupplier nanoTime;

  /** {time, count} pairs, oldest first; the first is the newest one at least a window old. */
  private final ArrayDeque<long[]> samples = new ArrayDeque<>();

  PerMinuteRate(LongSupplier nanoTime, long count) {
    this.nanoTime = nanoTime;
    samples.add(new long[] {nanoTime.getAsLong(), count});
  }

  /** Records {@code count} now and returns its increase per minute, to two decimals. */
  synchronized double perMinute(long count) {
    long now = nanoTime.getAsLong();
    if (now - samples.getLast()[0] >= STEP) {
      samples.addLast(new long[] {now, count});
    }
    while (samples.size() > 1 && now - second()[0] >= WINDOW) {
      samples.removeFirst();
    }
    long[] base = samples.getFirst();
    double perMinute = (double) (count - base[1]) * WINDOW / Math.max(now - base[0], WINDOW);
    return Math.round(perMinute * 100) / 100.0;
  }

  /** Returns how many samples are kept (for tests). */
  synchronized int sampleCount() {
    return samples.size();
  }

  private long[] second() {
    Iterator<long[]> it = samples.iterator();
    it.next();
    return it.next();
  }
}
