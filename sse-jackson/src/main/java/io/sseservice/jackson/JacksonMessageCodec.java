package io.sseservice.jackson;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
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

  /**
   * Returns a codec over a default {@link ObjectMapper} with the modules users expect:
   * {@code java.time} values ({@code Instant}, {@code LocalDate}, {@code Duration}, ...) as
   * ISO-8601 text, as browsers' {@code Date.parse} reads them, {@code Optional} as its value or
   * null, and every other module found on the class path. To configure Jackson yourself, pass your own mapper to
   * {@link #of}.
   */
  public static JacksonMessageCodec create() {
    ObjectMapper mapper =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(new Jdk8Module())
            .findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
    return of(mapper);
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
      throw new SseException(
          "cannot write a " + message.getClass().getName() + " as JSON: " + rootMessage(e), e);
    }
  }

  /** The innermost cause's message: what went wrong, not the path Jackson took to it. */
  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root instanceof JsonProcessingException json
            ? json.getOriginalMessage()
            : root.getMessage();
    return root == e ? String.valueOf(message) : root.getClass().getSimpleName() + ": " + message;
  }

  @Override
  public String toString() {
    return "JacksonMessageCodec";
  }
}
