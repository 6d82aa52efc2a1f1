package io.sseservice.spi;

/**
 * Turns a message object into the text of an event's {@code data}. The core sends a
 * {@code String} as it is and calls the codec for every other object, once per send whatever the
 * number of receivers. {@code sse-jackson} provides a JSON codec.
 *
 * <p>Thread-safety: implementations must be safe to call from many threads at once.
 */
@FunctionalInterface
public interface MessageCodec {

  /**
   * Returns the text to send for {@code message}; line breaks in it are allowed (each line
   * becomes its own {@code data:} line).
   *
   * @throws RuntimeException if the message cannot be encoded; the send is refused with it
   */
  String encode(Object message);
}
