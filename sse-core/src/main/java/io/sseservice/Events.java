package io.sseservice;

import static java.util.Objects.requireNonNull;

import io.sseservice.internal.SseEncoder;
import io.sseservice.spi.MessageCodec;
import org.jspecify.annotations.Nullable;

/**
 * Turns the application's messages into events and events into bytes: a {@code String} is sent as
 * it is, anything else goes through the service's {@link MessageCodec}, once per send.
 *
 * <p>Thread-safety: immutable; the codec must be thread-safe.
 */
final class Events {

  /** Three UTF-8 bytes and a {@code "data: "} prefix with its line end: the most one char makes. */
  private static final long MOST_BYTES_PER_CHAR = 3 + 7;

  /** Every field's prefix and end once, a retry value, and the blank line: far above the real. */
  private static final long FIXED_BYTES = 128;

  private final @Nullable MessageCodec codec;
  private final long maxEventBytes;

  Events(@Nullable MessageCodec codec, long maxEventBytes) {
    this.codec = codec;
    this.maxEventBytes = maxEventBytes;
  }

  /** Returns the event carrying {@code message}, checking {@code eventType} and {@code id}. */
  SseEvent of(Object message, @Nullable String eventType, @Nullable String id) {
    return SseEvent.builder().data(text(message)).event(eventType).id(id).build();
  }

  /**
   * Returns {@code event} if its frame fits {@link SseService.Builder#maxEventBytes}. An event
   * whose chars could not make a frame that large (at most 3 bytes each, and a line prefix per
   * char) passes without a count, so an ordinary event costs a few length reads.
   *
   * @throws IllegalArgumentException naming the limit, if the frame would be larger
   */
  SseEvent checkSize(SseEvent event) {
    if (mostBytes(event) <= maxEventBytes) {
      return event;
    }
    long size = SseEncoder.size(event);
    if (size > maxEventBytes) {
      throw new IllegalArgumentException(
          "event: "
              + size
              + " bytes encoded (expected: at most"
              + " maxEventBytes, "
              + maxEventBytes
              + ")");
    }
    return event;
  }

  /** An upper bound of the event's frame size: every char 3 bytes and a line of its own. */
  private static long mostBytes(SseEvent event) {
    long chars =
        length(event.data().orElse(null))
            + length(event.comment().orElse(null))
            + length(event.id().orElse(null))
            + length(event.event().orElse(null));
    return MOST_BYTES_PER_CHAR * chars + FIXED_BYTES;
  }

  private static long length(@Nullable String s) {
    return s == null ? 0 : s.length();
  }

  byte[] encode(SseEvent event) {
    return SseEncoder.encode(event);
  }

  private String text(Object message) {
    requireNonNull(message, "message");
    if (message instanceof String) {
      return (String) message;
    }
    if (codec == null) {
      throw new IllegalStateException(
          "message of type "
              + message.getClass().getName()
              + " needs a MessageCodec: add sse-jackson and set"
              + " SseService.builder().messageCodec(JacksonMessageCodec.create()), or send a String");
    }
    try {
      return requireNonNull(codec.encode(message), "MessageCodec returned null");
    } catch (RuntimeException e) {
      throw new SseException(
          "MessageCodec " + codec + " could not encode a " + message.getClass().getName(), e);
    }
  }
}
