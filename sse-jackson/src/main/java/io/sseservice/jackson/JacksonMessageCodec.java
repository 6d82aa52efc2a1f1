package io.sseservice.jackson;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.sseservice.SseException;
import io.sseservice.spi.MessageCodec;

/**
 * Sends objects, maps, lists and arrays as JSON text written by Jackson. Strings never reach a
 * codec: the service sends them as they are.
 *
 * <pre>{@code
 * SseService service = SseService.builder()
 *     .messageCodec(JacksonMessageCodec.create())
 *     .build();
 * service.sendToAll(Map.of("price", 42));   // data: {"price":42}
 * }</pre>
 *
 * <p>Thread-safety: thread-safe (Jackson's {@link ObjectWriter} is).
 */
public final class JacksonMessageCodec implements MessageCodec {

  private final ObjectWriter writer;

  private JacksonMessageCodec(ObjectWriter writer) {
    this.writer = writer;
  }

  /** Returns a codec over a default {@link ObjectMapper} with every registered module found. */
  public static JacksonMessageCodec create() {
    return of(new ObjectMapper().findAndRegisterModules());
  }

  /** Returns a codec over the application's own configured {@code mapper}. */
  public static JacksonMessageCodec of(ObjectMapper mapper) {
    return new JacksonMessageCodec(requireNonNull(mapper, "mapper").writer());
  }

  @Override
  public String encode(Object message) {
    try {
      return writer.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new SseException("cannot write a " + message.getClass().getName() + " as JSON: "
          + e.getOriginalMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "JacksonMessageCodec";
  }
}
