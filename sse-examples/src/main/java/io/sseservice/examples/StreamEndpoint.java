package io.sseservice.examples;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.sseservice.ConnectOptions;
import io.sseservice.SseConnection;
import io.sseservice.SseEvent;
import io.sseservice.SseListener;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code GET /sse?clientId=&group=&name=} stream: how a request becomes
 * {@link ConnectOptions}, and the {@code welcome} event that tells each new connection who it is.
 *
 * <p>Thread-safety: stateless; {@link #options} runs on Netty's event loops, concurrently, and
 * does not block.
 */
final class StreamEndpoint {

  private static final Logger LOG = LoggerFactory.getLogger(StreamEndpoint.class);

  private StreamEndpoint() {}

  /**
   * Derives the options from the query string: an absent {@code clientId} lets the service
   * generate one, an absent {@code group} means the default group. A real app would take the
   * client id from a verified token instead of trusting the query.
   *
   * <p>What describes one device, its {@code name} and the browser's {@code User-Agent}, is the
   * connection's own metadata: a second tab of the same client adds a connection with its own,
   * and leaves the client's metadata (what {@code /api/metadata} sets) alone.
   */
  static ConnectOptions options(FullHttpRequest request) {
    Params query = Params.query(request);
    String clientId = query.optional("clientId");
    Map<String, Object> device = new LinkedHashMap<>();
    device.put("name", query.optional("name", clientId == null ? "anonymous" : clientId));
    String userAgent = request.headers().get(HttpHeaderNames.USER_AGENT);
    if (userAgent != null) {
      device.put("userAgent", userAgent);
    }
    return ConnectOptions.builder()
        .clientId(clientId)
        .group(query.optional("group"))
        .connectionMetadata(device)
        .onDisconnect(
            (connection, reason) ->
                LOG.info(
                    "disconnected: client {} (group {}), " + "connection {}: {}",
                    connection.client().id(),
                    connection.group(),
                    connection.id(),
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
      LOG.info(
          "connected: client {} (group {}), connection {}",
          clientId,
          connection.group(),
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
