package io.sseservice;

import static java.util.Objects.requireNonNull;

import io.sseservice.spi.EventHistory;
import io.sseservice.spi.Replay;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Recent events of each group, in memory, for {@code Last-Event-ID} replay. Each group keeps at
 * most {@code maxEvents} events, {@code maxBytes} encoded bytes and events younger than
 * {@code maxAge}; the oldest go first. The frames are the same byte arrays that were sent, so the
 * history costs their size plus about 100 bytes per event (see docs/PERFORMANCE.md).
 *
 * <p>Ids it assigns look like {@code k3x9q2a-42}: the history's start time in base 36, a dash,
 * and a number that grows by one with every event of the group. The prefix makes ids from an
 * earlier process unknown (so they get a reset) instead of matching a different event.
 *
 * <pre>{@code
 * SseService service = SseService.builder()
 *     .history(InMemoryEventHistory.builder().maxEvents(5_000).maxAge(Duration.ofMinutes(10)).build())
 *     .build();
 * }</pre>
 *
 * <p>Thread-safety: thread-safe.
 */
public final class InMemoryEventHistory implements EventHistory {

  private final ConcurrentHashMap<String, GroupLog> groups = new ConcurrentHashMap<>();
  private final int maxEvents;
  private final long maxBytes;
  private final long maxAgeMillis;
  private final Clock clock;
  private final String epoch;

  private InMemoryEventHistory(Builder b) {
    this.maxEvents = b.maxEvents;
    this.maxBytes = b.maxBytes;
    this.maxAgeMillis = b.maxAge.toMillis();
    this.clock = b.clock;
    this.epoch = Long.toString(b.clock.millis(), 36);
  }

  /** Returns a history with the default bounds. */
  public static InMemoryEventHistory create() {
    return builder().build();
  }

  /** Returns a builder with the default bounds. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public byte[] append(String group, @Nullable String clientId, SseEvent event,
      Function<SseEvent, byte[]> encoder) {
    byte[][] frame = new byte[1][];
    // compute, not computeIfAbsent + append: evictExpired may remove an idle log meanwhile, and an
    // append to a removed log would be lost to replay
    groups.compute(group, (name, log) -> {
      GroupLog target = log != null ? log : new GroupLog(epoch);
      frame[0] = target.append(clientId, event, encoder, clock.millis(), this::evict);
      return target;
    });
    return frame[0];
  }

  @Override
  public Replay replay(String group, String clientId, String lastEventId) {
    GroupLog log = groups.get(group);
    if (log == null) {
      return Replay.reset(null);
    }
    return log.replay(clientId, lastEventId, clock.millis(), this::evict);
  }

  @Override
  public void evictExpired() {
    long now = clock.millis();
    for (String name : groups.keySet()) {
      // an idle group whose events all expired is dropped; its next event starts a fresh log
      groups.computeIfPresent(name, (n, log) -> log.evictOlderThan(now - maxAgeMillis) ? null : log);
    }
  }

  /** Returns the number of events held for {@code group}. */
  public int size(String group) {
    GroupLog log = groups.get(group);
    return log == null ? 0 : log.size();
  }

  /** Returns the encoded bytes held for {@code group}. */
  public long bytes(String group) {
    GroupLog log = groups.get(group);
    return log == null ? 0 : log.bytes();
  }

  private void evict(GroupLog log, long now) {
    log.evict(maxEvents, maxBytes, now - maxAgeMillis);
  }

  @Override
  public String toString() {
    return "InMemoryEventHistory{maxEvents=" + maxEvents + ", maxBytes=" + maxBytes
        + ", maxAge=" + Duration.ofMillis(maxAgeMillis) + '}';
  }

  /**
   * Builds an {@link InMemoryEventHistory}.
   *
   * <p>Thread-safety: not thread-safe; use one builder per thread.
   */
  public static final class Builder {
    /** Events kept per group: 1,000. */
    public static final int DEFAULT_MAX_EVENTS = 1_000;
    /** Encoded bytes kept per group: 4 MiB. */
    public static final long DEFAULT_MAX_BYTES = 4L << 20;
    /** How long an event is kept: 5 minutes (a phone changing networks, a laptop waking up). */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);

    private int maxEvents = DEFAULT_MAX_EVENTS;
    private long maxBytes = DEFAULT_MAX_BYTES;
    private Duration maxAge = DEFAULT_MAX_AGE;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Sets how many events each group keeps. */
    public Builder maxEvents(int maxEvents) {
      if (maxEvents <= 0) {
        throw new IllegalArgumentException("maxEvents: " + maxEvents + " (expected: > 0)");
      }
      this.maxEvents = maxEvents;
      return this;
    }

    /** Sets how many encoded bytes each group keeps. */
    public Builder maxBytes(long maxBytes) {
      if (maxBytes <= 0) {
        throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: > 0)");
      }
      this.maxBytes = maxBytes;
      return this;
    }

    /** Sets how long events are kept. */
    public Builder maxAge(Duration maxAge) {
      requireNonNull(maxAge, "maxAge");
      if (maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("maxAge: " + maxAge + " (expected: > 0)");
      }
      this.maxAge = maxAge;
      return this;
    }

    /** Sets the clock that dates events; tests inject a manual one. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** Returns the history. */
    public InMemoryEventHistory build() {
      return new InMemoryEventHistory(this);
    }
  }
}
