package io.sseservice.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sseservice.SseEvent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What sse-redis writes as JSON: events for one connection (on a node's channel) and client
 * metadata (in the directory). Metadata values travel as JSON values: strings, numbers, booleans,
 * lists and maps come back as such; other objects come back as what Jackson made of them.
 *
 * <p>Thread-safety: thread-safe (the mapper is).
 */
final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private Json() {}

  /** An event for connection {@code connectionId}. */
  record ConnectionEvent(String connectionId, SseEvent event) {}

  static String connectionEvent(String connectionId, SseEvent event) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("to", connectionId);
    event.id().ifPresent(v -> json.put("i", v));
    event.event().ifPresent(v -> json.put("e", v));
    event.data().ifPresent(v -> json.put("d", v));
    event.retry().ifPresent(v -> json.put("r", v.toMillis()));
    event.comment().ifPresent(v -> json.put("m", v));
    event.conflationKey().ifPresent(v -> json.put("k", v));
    return write(json);
  }

  static ConnectionEvent parseConnectionEvent(String text) {
    Map<String, Object> json = read(text);
    SseEvent.Builder event =
        SseEvent.builder()
            .id((String) json.get("i"))
            .event((String) json.get("e"))
            .data((String) json.get("d"))
            .comment((String) json.get("m"))
            .conflationKey((String) json.get("k"));
    Object retry = json.get("r");
    if (retry instanceof Number) {
      event.retry(Duration.ofMillis(((Number) retry).longValue()));
    }
    return new ConnectionEvent((String) required(json, "to"), event.build());
  }

  static String metadata(Map<String, Object> metadata) {
    return write(metadata);
  }

  static Map<String, Object> parseMetadata(String text) {
    return read(text);
  }

  /** Adds metadata changes as script arguments: each key, then its value's JSON ("" removes it). */
  static void metadataChanges(Map<String, ?> changes, List<String> argv) {
    changes.forEach(
        (key, value) -> {
          argv.add(key);
          argv.add(value == null ? "" : write(value));
        });
  }

  /** A connection's entry in its client's hash. */
  record Connection(String nodeId, long connectedAtMillis, Map<String, Object> metadata) {}

  static String connection(String nodeId, long connectedAtMillis, Map<String, Object> metadata) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("n", nodeId);
    json.put("t", connectedAtMillis);
    if (!metadata.isEmpty()) {
      json.put("m", metadata);
    }
    return write(json);
  }

  @SuppressWarnings("unchecked")
  static Connection parseConnection(String text) {
    Map<String, Object> json = read(text);
    Object metadata = json.get("m");
    return new Connection(
        (String) required(json, "n"),
        ((Number) required(json, "t")).longValue(),
        metadata == null ? Map.of() : (Map<String, Object>) metadata);
  }

  /** Returns the field {@code key}, which sse-redis always writes, of a map it wrote. */
  static Object required(Map<String, Object> json, String key) {
    Object value = json.get(key);
    if (value == null) {
      throw new IllegalArgumentException("not the JSON sse-redis writes: no \"" + key + "\"");
    }
    return value;
  }

  private static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write as JSON for Redis: " + e.getMessage(), e);
    }
  }

  private static Map<String, Object> read(String text) {
    try {
      return MAPPER.readValue(text, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not the JSON sse-redis writes: " + e.getMessage(), e);
    }
  }
}
