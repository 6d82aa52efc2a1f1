package io.sseservice.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sseservice.SseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    assertThat(codec.encode(new Quote("ACME", 4.5))).isEqualTo("{\"symbol\":\"ACME\",\"price\":4.5}");
  }

  @Test
  void theApplicationsMapperIsUsed() {
    ObjectMapper pretty = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    assertThat(JacksonMessageCodec.of(pretty).encode(Map.of("a", 1))).contains("\n");
  }

  @Test
  void unwritableObjectIsAClearError() {
    Object notJson = new Object();
    assertThatThrownBy(() -> codec.encode(notJson))
        .isInstanceOf(SseException.class)
        .hasMessageStartingWith("cannot write a java.lang.Object as JSON");
  }
}
