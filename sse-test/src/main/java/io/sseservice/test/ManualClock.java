package io.sseservice.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when a test moves it, for keep-alive and timeout tests.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ManualClock extends Clock {

  private final AtomicLong millis;
  private final ZoneId zone;

  /** Returns a clock standing at {@code start}. */
  public ManualClock(Instant start) {
    this(new AtomicLong(start.toEpochMilli()), ZoneOffset.UTC);
  }

  private ManualClock(AtomicLong millis, ZoneId zone) {
    this.millis = millis;
    this.zone = zone;
  }

  /** Returns a clock standing at the epoch. */
  public ManualClock() {
    this(Instant.EPOCH);
  }

  /** Moves the clock forward by {@code duration}. */
  public void advance(Duration duration) {
    millis.addAndGet(duration.toMillis());
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get());
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new ManualClock(millis, zone); // same time source, moved by the same advance()
  }
}
