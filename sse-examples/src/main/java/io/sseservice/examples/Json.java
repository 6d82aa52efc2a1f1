package io.sseservice.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sseservice.SseClient;
import io.sseservice.SseConnection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The app's JSON: one shared mapper, parsing of caller JSON, and the views of clients.
 *
 * <p>Thread-safety: stateless; the mapper is thread-safe once configured.
 */
final class Json {

  /** Thread-safe once configured; shared by every handler. */
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .findAndRegisterModules()
          // "{} junk" is a mistake of the caller, not a valid object followed by noise
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private Json() {}

  /** Parses {@code text} as JSON. @throws ApiException 400 naming {@code param} if it is not */
  static JsonNode parse(String text, String param) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw ApiException.badRequest(param + ": empty (expected: JSON)");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(param + ": not valid JSON (" + e.getOriginalMessage() + ")");
    }
  }

  /** Parses {@code text} as a JSON object. @throws ApiException 400 naming {@code param} */
  static Map<String, Object> parseObject(String text, String param) {
    JsonNode node = parse(text, param);
    if (!node.isObject()) {
      throw ApiException.badRequest(
          param
              + ": a JSON "
              + node.getNodeType().name().toLowerCase(Locale.ROOT)
              + " (expected: a JSON object)");
    }
    return MAPPER.convertValue(node, OBJECT);
  }

  /** Writes {@code value} as compact JSON text. */
  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getName() + " as JSON", e);
    }
  }

  /**
   * The API's view of a client: id, group, metadata, the ids of its open connections, and for
   * each of them when it connected and its own metadata (the device's name and user agent).
   */
  static Map<String, Object> client(SseClient client) {
    List<SseConnection> connections = client.connections();
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", client.id());
    view.put("group", client.group());
    view.put("metadata", client.metadata());
    view.put("connections", connections.stream().map(SseConnection::id).toList());
    view.put("connectionInfo", connections.stream().map(Json::connection).toList());
    return view;
  }

  private static Map<String, Object> connection(SseConnection connection) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", connection.id());
    view.put("connectedAt", connection.connectedAt().toString());
    view.put("metadata", connection.metadata());
    return view;
  }

  /** The views of {@code clients}, sorted by id so repeated calls are easy to compare. */
  static List<Map<String, Object>> clients(List<SseClient> clients) {
    return clients.stream().sorted((a, b) -> a.id().compareTo(b.id())).map(Json::client).toList();
  }
}
