package io.sseservice.examples;

import com.sun.net.httpserver.HttpExchange;
import io.sseservice.ConnectOptions;
import io.sseservice.SseConnection;
import io.sseservice.SseEvent;
import io.sseservice.SseListener;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code GET /sse?clientId=&group=&name=} stream: how a request becomes
 * {@link ConnectOptions}, and the {@code welcome} event that tells each new connection who it is.
 */
final class StreamEndpoint {

  private static final Logger LOG = LoggerFactory.getLogger(StreamEndpoint.class);

  private StreamEndpoint() {}

  /**
   * Derives the options from the query string: an absent {@code clientId} lets the service
   * generate one, an absent {@code group} means the default group. A real app would take the
   * client id from a verified token instead of trusting the query.
   */
  static ConnectOptions options(HttpExchange exchange) {
    Params query = Params.query(exchange);
    String clientId = query.optional("clientId");
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", query.optional("name", clientId == null ? "anonymous" : clientId));
    metadata.put("connectedAt", Instant.now().toString());
    return ConnectOptions.builder()
        .clientId(clientId)
        .group(query.optional("group"))
        .metadata(metadata)
        .onDisconnect((connection, reason) -> LOG.info("disconnected: client {} (group {}), "
            + "connection {}: {}", connection.client().id(), connection.group(), connection.id(),
            reason))
        .build();
  }

  /**
   * Sends each new connection a {@code welcome} event with its connection id, client id (which
   * may have been generated) and group: the page needs the connection id for send-to-connection,
   * and the registry only knows it once the connection exists.
   */
  static final class Welcome implements SseListener {
    @Override
    public void onConnect(SseConnection connection) {
      String clientId = connection.client().id();
      LOG.info("connected: client {} (group {}), connection {}", clientId, connection.group(),
          connection.id());
      Map<String, String> who = new LinkedHashMap<>();
      who.put("connectionId", connection.id());
      who.put("clientId", clientId);
      who.put("group", connection.group());
      // queued now, written as soon as the response is committed
      connection.send(SseEvent.builder().event("welcome").data(Json.write(who)).build());
    }
  }
}
