package io.sseservice;

import static java.util.Objects.requireNonNull;

import io.sseservice.spi.EventHistory;
import io.sseservice.spi.Recorded;
import io.sseservice.spi.Replay;
import io.sseservice.spi.ReplayRequest;
import io.sseservice.spi.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Recent events of each group, in memory, for {@code Last-Event-ID} replay. Each group keeps at
 * most {@code maxEvents} events, {@code maxBytes} encoded bytes and events younger than
 * {@code maxAge} (measured on a monotonic ticker, so a wall-clock step never expires anything);
 * the oldest go first. The byte bound never drops a group's newest event: one event larger than
 * {@code maxBytes} is kept alone, until the next event or its age drops it. All groups together
 * stay within {@code maxTotalBytes} (frames plus about 100 bytes per event and 256 per group), a
 * hard bound: past it, the groups that took an event least recently are emptied, then dropped,
 * and a group that alone is over it keeps no event. The frames are the same byte arrays that were
 * sent.
 *
 * <p>A group remembers its newest id after its events expired or were dropped, so a client that
 * saw the last event and reconnects after a quiet spell gets nothing to replay, not a reset, and
 * a reset names that id. It also remembers the newest id it dropped: a client that saw that
 * event missed only what is still held, and gets it replayed.
 *
 * <p>Ids it assigns look like {@code mk3x9q2a.1-42}: the history's start time in base 36, a
 * number for the group's log, a dash, and a number that grows by one with every event of the
 * group. The prefix makes ids of an earlier process (or of a group's earlier, dropped log)
 * unknown, so they get a reset instead of matching a different event.
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
  private final AtomicLong totalBytes = new AtomicLong();
  private final AtomicLong logs = new AtomicLong();
  private final AtomicBoolean evicting = new AtomicBoolean();
  private final int maxEvents;
  private final long maxBytes;
  private final long maxTotalBytes;
  private final long maxAgeNanos;
  private final Ticker ticker;
  private final String epoch;

  private InMemoryEventHistory(Builder b) {
    this.maxEvents = b.maxEvents;
    this.maxBytes = b.maxBytes;
    this.maxTotalBytes = b.maxTotalBytes;
    this.maxAgeNanos = b.maxAge.toNanos();
    this.ticker = b.ticker;
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
  public Recorded append(
      String group, @Nullable String clientId, SseEvent event, Function<SseEvent, byte[]> encoder) {
    Recorded[] recorded = new Recorded[1];
    long now = ticker.nanoTime();
    // compute, not computeIfAbsent + append: the budget may drop an idle log meanwhile, and an
    // append to a dropped log would be lost to replay
    groups.compute(
        group,
        (name, log) -> {
          GroupLog target =
              log != null
                  ? log
                  : new GroupLog(
                      epoch + "." + Long.toString(logs.incrementAndGet(), 36), totalBytes);
          recorded[0] =
              target.append(clientId, event, encoder, now, maxEvents, maxBytes, now - maxAgeNanos);
          return target;
        });
    if (totalBytes.get() > maxTotalBytes) {
      enforceBudget(group);
    }
    return recorded[0];
  }

  @Override
  public CompletionStage<Replay> replay(ReplayRequest request) {
    GroupLog log = groups.get(request.group());
    if (log == null) {
      return CompletableFuture.completedFuture(Replay.reset(null));
    }
    log.evict(maxEvents, maxBytes, ticker.nanoTime() - maxAgeNanos);
    return CompletableFuture.completedFuture(
        log.replay(request.clientId(), request.lastEventId(), request.limit()));
  }

  @Override
  public void evictExpired() {
    long oldest = ticker.nanoTime() - maxAgeNanos;
    for (GroupLog log : groups.values()) {
      log.evict(maxEvents, maxBytes, oldest); // the log and its newest id stay
    }
  }

  /** Returns the estimated bytes held: frames plus bookkeeping, over every group. */
  @Override
  public long bytes() {
    return totalBytes.get();
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

  /** Returns the number of groups the history keeps a log (or at least a newest id) for. */
  public int groupCount() {
    return groups.size();
  }

  /**
   * Brings the total back under the budget: empties the logs that took an event least recently,
   * then drops them, never touching {@code appending} until every other log is gone.
   */
  private void enforceBudget(String appending) {
    if (!evicting.compareAndSet(false, true)) {
      return; // another sender is at it
    }
    try {
      long target = maxTotalBytes - maxTotalBytes / 10; // some room, so this runs seldom
      List<Map.Entry<String, GroupLog>> byAge = new ArrayList<>(groups.entrySet());
      long now = ticker.nanoTime(); // ages as differences: nanoTime may wrap
      byAge.sort(Comparator.comparingLong(e -> e.getValue().lastAppend() - now));
      for (Map.Entry<String, GroupLog> e : byAge) {
        if (totalBytes.get() <= target) {
          return;
        }
        if (!e.getKey().equals(appending)) {
          e.getValue().clear();
        }
      }
      for (Map.Entry<String, GroupLog> e : byAge) {
        if (totalBytes.get() <= target) {
          return;
        }
        if (!e.getKey().equals(appending) && groups.remove(e.getKey(), e.getValue())) {
          e.getValue().release();
        }
      }
      GroupLog own = groups.get(appending);
      if (own != null && totalBytes.get() > maxTotalBytes) {
        own.evict(0, 0, Long.MIN_VALUE); // even the appending group alone is over the budget
      }
    } finally {
      evicting.set(false);
    }
  }

  @Override
  public String toString() {
    return "InMemoryEventHistory{maxEvents="
        + maxEvents
        + ", maxBytes="
        + maxBytes
        + ", maxTotalBytes="
        + maxTotalBytes
        + ", maxAge="
        + Duration.ofNanos(maxAgeNanos)
        + '}';
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

    /** Bytes kept over all groups, bookkeeping included: 64 MiB. */
    public static final long DEFAULT_MAX_TOTAL_BYTES = 64L << 20;

    /** How long an event is kept: 5 minutes (a phone changing networks, a laptop waking up). */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);

    private int maxEvents = DEFAULT_MAX_EVENTS;
    private long maxBytes = DEFAULT_MAX_BYTES;
    private long maxTotalBytes = DEFAULT_MAX_TOTAL_BYTES;
    private Duration maxAge = DEFAULT_MAX_AGE;
    private Ticker ticker = Ticker.system();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Sets how many events each group keeps. */
    public Builder maxEvents(int maxEvents) {
      this.maxEvents = (int) Options.positive(maxEvents, "maxEvents");
      return this;
    }

    /**
     * Sets how many encoded bytes each group keeps; a group's newest event is kept even when it
     * alone is larger.
     */
    public Builder maxBytes(long maxBytes) {
      this.maxBytes = Options.positive(maxBytes, "maxBytes");
      return this;
    }

    /**
     * Sets how many bytes all groups together keep, bookkeeping included: a hard bound, which
     * an event larger than it is not kept under (its id is remembered).
     */
    public Builder maxTotalBytes(long maxTotalBytes) {
      this.maxTotalBytes = Options.positive(maxTotalBytes, "maxTotalBytes");
      return this;
    }

    /** Sets how long events are kept. */
    public Builder maxAge(Duration maxAge) {
      this.maxAge = Options.positiveDuration(maxAge, "maxAge");
      return this;
    }

    /** Sets the monotonic time source that ages events; tests inject a manual one. */
    public Builder ticker(Ticker ticker) {
      this.ticker = requireNonNull(ticker, "ticker");
      return this;
    }

    /** Sets the wall clock whose time at build makes the id prefix. */
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
