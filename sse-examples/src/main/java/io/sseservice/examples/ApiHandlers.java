package io.sseservice.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sseservice.SseClient;
import io.sseservice.SseConnection;
import io.sseservice.SseService;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The JSON API under {@code /api}: one endpoint per seed operation, each a thin call into
 * {@link SseService}. Parameters come as described in {@link Params}; sends answer
 * {@code {"reached": n}}, the number of connections the event was queued on.
 *
 * <p>A {@code message} is sent as the string it is, unless {@code json=true}: then it is parsed
 * and the parsed value is sent, so it goes through the service's {@code JacksonMessageCodec}
 * (and arrives as compact JSON text).
 */
final class ApiHandlers {

  private final SseService service;

  ApiHandlers(SseService service) {
    this.service = service;
  }

  void register(HttpServer server) {
    List<Endpoint> endpoints = List.of(
        new Endpoint("POST", "/api/send-to-client", this::sendToClient),
        new Endpoint("POST", "/api/send-to-connection", this::sendToConnection),
        new Endpoint("POST", "/api/send-to-all", this::sendToAll),
        new Endpoint("GET", "/api/clients", this::clients),
        new Endpoint("GET", "/api/client", this::client),
        new Endpoint("POST", "/api/metadata", this::metadata),
        new Endpoint("GET", "/api/stats", exchange -> service.stats()));
    for (Endpoint endpoint : endpoints) {
      server.createContext(endpoint.path(), endpoint);
    }
  }

  /** clientId, message, [event], [group], [id], [json] → every connection of the client. */
  private Object sendToClient(HttpExchange exchange) throws IOException {
    Params p = Params.form(exchange);
    String clientId = p.required("clientId");
    Object message = message(p);
    return reached(service.sendToClient(clientId, message, p.optional("event"),
        p.optional("group"), p.optional("id")));
  }

  /** connectionId, message, [event], [group], [id], [json] → that one connection. */
  private Object sendToConnection(HttpExchange exchange) throws IOException {
    Params p = Params.form(exchange);
    String connectionId = p.required("connectionId");
    Object message = message(p);
    String group = p.optional("group", service.defaultGroup());
    // the service hands out connections only through their clients, so look among the group's
    SseConnection connection = service.clients(group).stream()
        .flatMap(client -> client.connections().stream())
        .filter(c -> c.id().equals(connectionId))
        .findFirst()
        .orElseThrow(() -> ApiException.notFound(
            "no open connection '" + connectionId + "' in group '" + group + "'"));
    return reached(service.sendToConnection(connection, message, p.optional("event"),
        p.optional("id")));
  }

  /** message, [event], [group], [id], [json] → every connection of the group. */
  private Object sendToAll(HttpExchange exchange) throws IOException {
    Params p = Params.form(exchange);
    Object message = message(p);
    return reached(service.sendToAll(message, p.optional("event"), p.optional("group"),
        p.optional("id")));
  }

  /** [group] → the group's clients. */
  private Object clients(HttpExchange exchange) {
    Params p = Params.query(exchange);
    return Json.clients(service.clients(p.optional("group", service.defaultGroup())));
  }

  /** clientId, [group] → the client, or 404. */
  private Object client(HttpExchange exchange) {
    Params p = Params.query(exchange);
    String clientId = p.required("clientId");
    String group = p.optional("group", service.defaultGroup());
    return Json.client(service.client(clientId, group).orElseThrow(() -> noClient(clientId, group)));
  }

  /**
   * Replaces a client's metadata: either a form body with clientId, [group] and {@code meta} (a
   * JSON object), or a JSON object body with clientId and [group] in the query string.
   */
  private Object metadata(HttpExchange exchange) throws IOException {
    Params p;
    Map<String, Object> metadata;
    if (Params.contentType(exchange).equals("application/json")) {
      p = Params.query(exchange);
      metadata = Json.parseObject(Params.body(exchange), "body");
    } else {
      p = Params.form(exchange);
      metadata = Json.parseObject(p.required("meta"), "meta");
    }
    String clientId = p.required("clientId");
    String group = p.optional("group", service.defaultGroup());
    SseClient client = service.setClientMetadata(clientId, metadata, group)
        .orElseThrow(() -> noClient(clientId, group));
    return Json.client(client);
  }

  private static Object message(Params p) {
    String message = p.required("message");
    return p.flag("json") ? Json.parse(message, "message") : message;
  }

  private static Map<String, Integer> reached(int count) {
    return Map.of("reached", count);
  }

  private static ApiException noClient(String clientId, String group) {
    return ApiException.notFound("no client '" + clientId + "' in group '" + group + "'");
  }
}
