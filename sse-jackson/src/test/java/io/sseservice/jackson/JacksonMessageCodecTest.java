package io.sseservice.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sseservice.SseException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JacksonMessageCodecTest {

  /** A plain value type, as applications send. */
  public record Quote(String symbol, double price) {}

  private final JacksonMessageCodec codec = JacksonMessageCodec.create();

  @Test
  void objectsMapsAndArraysAreJson() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("unread", 3);
    map.put("from", List.of("ann", "bob"));
    assertThat(codec.encode(map)).isEqualTo("{\"unread\":3,\"from\":[\"ann\",\"bob\"]}");
    assertThat(codec.encode(new int[] {1, 2})).isEqualTo("[1,2]");
    assertThat(codec.encode(new Quote("ACME", 4.5)))
        .isEqualTo("{\"symbol\":\"ACME\",\"price\":4.5}");
  }

  @Test
  void theApplicationsMapperIsUsed() {
    ObjectMapper pretty = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    assertThat(JacksonMessageCodec.of(pretty).encode(Map.of("a", 1))).contains("\n");
  }

  /** A record with the values applications put into events. */
  public record Order(String id, Instant at, LocalDate due, Duration eta, Optional<String> note) {}

  @Test
  void javaTimeAndOptionalValuesAreWrittenAsBrowsersReadThem() {
    Order order =
        new Order(
            "o1",
            Instant.parse("2026-12-02T08:00:00Z"),
            LocalDate.of(2026, 12, 24),
            Duration.ofMinutes(90),
            Optional.empty());
    assertThat(codec.encode(order))
        .isEqualTo(
            "{\"id\":\"o1\",\"at\":\"2026-12-02T08:00:00Z\","
                + "\"due\":\"2026-12-24\",\"eta\":\"PT1H30M\",\"note\":null}");
  }

  /** A getter that throws, as a lazy entity's might. */
  public static final class Broken {
    public String getValue() {
      throw new IllegalStateException("session closed");
    }
  }

  @Test
  void theRootCauseIsInTheMessage() {
    assertThatThrownBy(() -> codec.encode(new Broken()))
        .isInstanceOf(SseException.class)
        .hasMessageContaining("IllegalStateException: session closed");
  }

  @Test
  void unwritableObjectIsAClearError() {
    Object notJson = new Object();
    assertThatThrownBy(() -> codec.encode(notJson))
        .isInstanceOf(SseException.class)
        .hasMessageStartingWith("cannot write a java.lang.Object as JSON");
  }
}
