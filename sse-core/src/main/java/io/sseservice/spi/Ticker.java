package io.sseservice.spi;

/**
 * A monotonic time source in nanoseconds, for durations only (idle keep-alive, write stalls,
 * history age): unlike the wall clock it never jumps when NTP steps the system time, so a step
 * forward cuts no connection and a step back silences no keep-alive. Its values mean nothing on
 * their own; only differences between two readings do.
 *
 * <pre>{@code
 * SseService.builder().ticker(Ticker.system());   // the default
 * }</pre>
 *
 * <p>Thread-safety: implementations must be safe to read from any thread.
 */
@FunctionalInterface
public interface Ticker {

  /** Returns the current reading, in nanoseconds; never decreases. */
  long nanoTime();

  /** Returns the ticker backed by {@link System#nanoTime()}. */
  static Ticker system() {
    return SystemTicker.INSTANCE;
  }
}
