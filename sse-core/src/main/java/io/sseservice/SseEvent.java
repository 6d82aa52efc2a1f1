package io.sseservice;

import io.sseservice.internal.SseEncoder;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One server-sent event: {@code data}, and optionally an {@code event} type, an {@code id}, a
 * {@code retry} delay and a {@code comment}. Values are checked when the event is built, so an
 * event that exists can always be written safely: an {@code event} or {@code id} holding CR or LF
 * (or an {@code id} holding NUL) is refused with an {@link IllegalArgumentException} naming the
 * field, because it would inject fields or events into the stream; so is one holding an unpaired
 * surrogate, which UTF-8 cannot carry (the client would see another type or id).
 *
 * <p>An event may also carry a {@linkplain Builder#conflationKey(String) conflation key}, which
 * is never written: a keyed event replaces the event with the same key that is still waiting in a
 * connection's queue (and, in a replay, every earlier one with that key), so a client that falls
 * behind gets the latest value of each key instead of every value in between.
 *
 * <pre>{@code
 * SseEvent event = SseEvent.builder()
 *     .data("{\"price\": 42}")
 *     .event("quote")
 *     .id("17")
 *     .build();
 * service.send(Target.group("tickers"), event);
 * }</pre>
 *
 * <p>Thread-safety: immutable, safe to share between threads.
 */
public final class SseEvent {

  private final @Nullable String data;
  private final @Nullable String event;
  private final @Nullable String id;
  private final @Nullable Duration retry;
  private final @Nullable String comment;
  private final @Nullable String conflationKey;

  private SseEvent(Builder b) {
    this.data = b.data;
    this.event = b.event;
    this.id = b.id;
    this.retry = b.retry;
    this.comment = b.comment;
    this.conflationKey = b.conflationKey;
  }

  /** Returns an event carrying {@code data} only (type {@code message} on the client). */
  public static SseEvent of(String data) {
    return builder().data(data).build();
  }

  /** Returns an event carrying {@code data} with the event type {@code event}. */
  public static SseEvent of(String data, String event) {
    return builder().data(data).event(event).build();
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding this event's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.data = data;
    b.event = event;
    b.id = id;
    b.retry = retry;
    b.comment = comment;
    b.conflationKey = conflationKey;
    return b;
  }

  /** Returns the data, if any; an event without data updates the client's state but fires nothing. */
  public Optional<String> data() {
    return Optional.ofNullable(data);
  }

  /** Returns the event type, if set; clients use {@code message} otherwise. */
  public Optional<String> event() {
    return Optional.ofNullable(event);
  }

  /** Returns the event id, if set; the client sends the last one back as {@code Last-Event-ID}. */
  public Optional<String> id() {
    return Optional.ofNullable(id);
  }

  /** Returns the reconnection delay to tell the client, if set. */
  public Optional<Duration> retry() {
    return Optional.ofNullable(retry);
  }

  /** Returns the comment, if set; clients ignore comments. */
  public Optional<String> comment() {
    return Optional.ofNullable(comment);
  }

  /**
   * Returns the conflation key, if set: what this event replaces of the events still queued for
   * a connection. It is never written to the stream.
   */
  public Optional<String> conflationKey() {
    return Optional.ofNullable(conflationKey);
  }

  /** The conflation key or null, without an {@code Optional} on the send path. */
  @Nullable String conflationKeyOrNull() {
    return conflationKey;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SseEvent)) {
      return false;
    }
    SseEvent other = (SseEvent) o;
    return Objects.equals(data, other.data)
        && Objects.equals(event, other.event)
        && Objects.equals(id, other.id)
        && Objects.equals(retry, other.retry)
        && Objects.equals(comment, other.comment)
        && Objects.equals(conflationKey, other.conflationKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(data, event, id, retry, comment, conflationKey);
  }

  @Override
  public String toString() {
    return "SseEvent{data="
        + data
        + ", event="
        + event
        + ", id="
        + id
        + ", retry="
        + retry
        + ", comment="
        + comment
        + (conflationKey == null ? "" : ", conflationKey=" + conflationKey)
        + '}';
  }

  /**
   * Builds an {@link SseEvent}. Each setter checks its value at once.
   *
   * <p>Thread-safety: not thread-safe; use one builder per thread.
   */
  public static final class Builder {
    /** The longest conflation key, in chars: 256. */
    public static final int MAX_CONFLATION_KEY_LENGTH = 256;

    private @Nullable String data;
    private @Nullable String event;
    private @Nullable String id;
    private @Nullable Duration retry;
    private @Nullable String comment;
    private @Nullable String conflationKey;

    private Builder() {}

    /**
     * Sets the data. Any text is allowed: each line ({@code \n}, {@code \r\n} or {@code \r})
     * becomes its own {@code data:} line, and the client joins them back with {@code \n}.
     */
    public Builder data(@Nullable String data) {
      this.data = data;
      return this;
    }

    /**
     * Sets the event type.
     *
     * @throws IllegalArgumentException if it holds CR, LF or an unpaired surrogate
     */
    public Builder event(@Nullable String event) {
      this.event = event == null ? null : SseEncoder.checkEvent(event);
      return this;
    }

    /**
     * Sets the event id.
     *
     * @throws IllegalArgumentException if it holds CR, LF, NUL or an unpaired surrogate
     */
    public Builder id(@Nullable String id) {
      this.id = id == null ? null : SseEncoder.checkId(id);
      return this;
    }

    /** Sets a numeric event id; {@code 0} is a valid id. */
    public Builder id(long id) {
      this.id = Long.toString(id);
      return this;
    }

    /**
     * Sets the reconnection delay.
     *
     * @throws IllegalArgumentException if negative or longer than 365 days
     */
    public Builder retry(@Nullable Duration retry) {
      this.retry = retry == null ? null : Options.duration(retry, "retry");
      return this;
    }

    /** Sets a comment; each of its lines is written as a {@code :} line. */
    public Builder comment(@Nullable String comment) {
      this.comment = comment;
      return this;
    }

    /**
     * Sets the conflation key (null: none), which is never written to the stream. While a keyed
     * event waits in a connection's queue (the transport has not taken it for a write yet), a
     * newer event with the same key sent to that connection removes it and is queued at the end:
     * the client gets the latest value of each key, in the order of the ids, instead of every
     * value in between, and a connection that falls behind on keyed events stays within its
     * bound instead of being cut. An event without a key replaces nothing and is never replaced.
     * A replay after a reconnect delivers only the newest of the missed events of each key. Keys
     * are compared with {@link String#equals}, per connection; use one per value that a newer
     * event makes stale (a ticker symbol, a user's presence).
     *
     * @throws IllegalArgumentException if it is empty or longer than {@link
     *     #MAX_CONFLATION_KEY_LENGTH} chars
     */
    public Builder conflationKey(@Nullable String conflationKey) {
      if (conflationKey != null
          && (conflationKey.isEmpty() || conflationKey.length() > MAX_CONFLATION_KEY_LENGTH)) {
        throw new IllegalArgumentException(
            "conflationKey: "
                + conflationKey.length()
                + " chars (expected: 1 to "
                + MAX_CONFLATION_KEY_LENGTH
                + ")");
      }
      this.conflationKey = conflationKey;
      return this;
    }

    /**
     * Returns the event.
     *
     * @throws IllegalArgumentException if no field is set at all
     */
    public SseEvent build() {
      if (data == null && event == null && id == null && retry == null && comment == null) {
        throw new IllegalArgumentException(
            "event has no field (expected: at least one of data, event, id, retry, comment)");
      }
      return new SseEvent(this);
    }
  }
}
