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

  private final @Nullable MessageCodec codec;

  Events(@Nullable MessageCodec codec) {
    this.codec = codec;
  }

  /** Returns the event carrying {@code message}, checking {@code eventType} and {@code id}. */
  SseEvent of(Object message, @Nullable String eventType, @Nullable String id) {
    return SseEvent.builder().data(text(message)).event(eventType).id(id).build();
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
      throw new IllegalStateException("message of type " + message.getClass().getName()
          + " needs a MessageCodec: add sse-jackson and set"
          + " SseService.builder().messageCodec(JacksonMessageCodec.create()), or send a String");
    }
    try {
      return requireNonNull(codec.encode(message), "MessageCodec returned null");
    } catch (RuntimeException e) {
      throw new SseException("MessageCodec " + codec + " could not encode a "
          + message.getClass().getName(), e);
    }
  }
}
