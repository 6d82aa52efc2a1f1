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

  private SseEvent(Builder b) {
    this.data = b.data;
    this.event = b.event;
    this.id = b.id;
    this.retry = b.retry;
    this.comment = b.comment;
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
        && Objects.equals(comment, other.comment);
  }

  @Override
  public int hashCode() {
    return Objects.hash(data, event, id, retry, comment);
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
        + '}';
  }

  /**
   * Builds an {@link SseEvent}. Each setter checks its value at once.
   *
   * <p>Thread-safety: not thread-safe; use one builder per thread.
   */
  public static final class Builder {
    private @Nullable String data;
    private @Nullable String event;
    private @Nullable String id;
    private @Nullable Duration retry;
    private @Nullable String comment;

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
