package io.sseservice.test;

import io.sseservice.spi.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when a test moves it: a wall clock ({@link Clock}) and a monotonic
 * {@link Ticker} in one. {@link #advance} moves both, as real time passing does;
 * {@link #stepWallClock} moves the wall clock alone, forward or back, as an NTP step does, so a
 * test can check that durations do not follow it.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * SseService service = SseService.builder().ticker(clock).clock(clock).scheduler(scheduler).build();
 * clock.stepWallClock(Duration.ofHours(-1));   // nothing may happen
 * clock.advance(Duration.ofSeconds(21));
 * scheduler.tick();                            // the keep-alive check runs now
 * }</pre>
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ManualClock extends Clock implements Ticker {

  private final AtomicLong wallMillis;
  private final AtomicLong nanos;
  private final ZoneId zone;

  /** Returns a clock whose wall time stands at {@code start}. */
  public ManualClock(Instant start) {
    this(new AtomicLong(start.toEpochMilli()), new AtomicLong(), ZoneOffset.UTC);
  }

  private ManualClock(AtomicLong wallMillis, AtomicLong nanos, ZoneId zone) {
    this.wallMillis = wallMillis;
    this.nanos = nanos;
    this.zone = zone;
  }

  /** Returns a clock whose wall time stands at the epoch. */
  public ManualClock() {
    this(Instant.EPOCH);
  }

  /** Lets {@code duration} pass: moves the wall clock and the ticker forward. */
  public void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException(
          "duration: " + duration + " (expected: >= 0; time does not run back, use stepWallClock)");
    }
    nanos.addAndGet(duration.toNanos());
    wallMillis.addAndGet(duration.toMillis());
  }

  /** Steps the wall clock alone by {@code step}, which may be negative; the ticker stays. */
  public void stepWallClock(Duration step) {
    wallMillis.addAndGet(step.toMillis());
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public long millis() {
    return wallMillis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(wallMillis.get());
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new ManualClock(wallMillis, nanos, zone); // same time sources, moved together
  }
}
