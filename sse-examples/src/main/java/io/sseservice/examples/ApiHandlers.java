package io.sseservice.examples;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.sseservice.SseClient;
import io.sseservice.SseConnection;
import io.sseservice.SseService;
import io.sseservice.netty.NettySseServer;
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
 *
 * <p>Thread-safety: thread-safe; each call works on its own request.
 */
final class ApiHandlers {

  private final SseService service;

  ApiHandlers(SseService service) {
    this.service = service;
  }

  /** Adds one route per endpoint to {@code server}. */
  void register(NettySseServer.Builder server) {
    List<Endpoint> endpoints =
        List.of(
            new Endpoint(HttpMethod.POST, "/api/send-to-client", this::sendToClient),
            new Endpoint(HttpMethod.POST, "/api/send-to-connection", this::sendToConnection),
            new Endpoint(HttpMethod.POST, "/api/send-to-all", this::sendToAll),
            new Endpoint(HttpMethod.GET, "/api/clients", this::clients),
            new Endpoint(HttpMethod.GET, "/api/client", this::client),
            new Endpoint(HttpMethod.POST, "/api/metadata", this::metadata),
            new Endpoint(HttpMethod.GET, "/api/stats", request -> service.stats()));
    for (Endpoint endpoint : endpoints) {
      server.route(endpoint.method(), endpoint.path(), endpoint);
    }
  }

  /** clientId, message, [event], [group], [id], [json] → every connection of the client. */
  private Object sendToClient(FullHttpRequest request) {
    Params p = Params.form(request);
    String clientId = p.required("clientId");
    Object message = message(p);
    return reached(
        service.sendToClient(
            clientId, message, p.optional("event"), p.optional("group"), p.optional("id")));
  }

  /** connectionId, message, [event], [group], [id], [json] → that one connection. */
  private Object sendToConnection(FullHttpRequest request) {
    Params p = Params.form(request);
    String connectionId = p.required("connectionId");
    Object message = message(p);
    String group = p.optional("group", service.defaultGroup());
    // the service hands out connections only through their clients, so look among the group's
    SseConnection connection =
        service.clients(group).stream()
            .flatMap(client -> client.connections().stream())
            .filter(c -> c.id().equals(connectionId))
            .findFirst()
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "no open connection '" + connectionId + "' in group '" + group + "'"));
    return reached(
        service.sendToConnection(connection, message, p.optional("event"), p.optional("id")));
  }

  /** message, [event], [group], [id], [json] → every connection of the group. */
  private Object sendToAll(FullHttpRequest request) {
    Params p = Params.form(request);
    Object message = message(p);
    return reached(
        service.sendToAll(message, p.optional("event"), p.optional("group"), p.optional("id")));
  }

  /** [group] → the group's clients. */
  private Object clients(FullHttpRequest request) {
    Params p = Params.query(request);
    return Json.clients(service.clients(p.optional("group", service.defaultGroup())));
  }

  /** clientId, [group] → the client, or 404. */
  private Object client(FullHttpRequest request) {
    Params p = Params.query(request);
    String clientId = p.required("clientId");
    String group = p.optional("group", service.defaultGroup());
    return Json.client(
        service.client(clientId, group).orElseThrow(() -> noClient(clientId, group)));
  }

  /**
   * Replaces a client's metadata: either a form body with clientId, [group] and {@code meta} (a
   * JSON object), or a JSON object body with clientId and [group] in the query string.
   */
  private Object metadata(FullHttpRequest request) {
    Params p;
    Map<String, Object> metadata;
    if (Params.contentType(request).equals("application/json")) {
      p = Params.query(request);
      metadata = Json.parseObject(Params.body(request), "body");
    } else {
      p = Params.form(request);
      metadata = Json.parseObject(p.required("meta"), "meta");
    }
    String clientId = p.required("clientId");
    String group = p.optional("group", service.defaultGroup());
    SseClient client =
        service
            .setClientMetadata(clientId, metadata, group)
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
