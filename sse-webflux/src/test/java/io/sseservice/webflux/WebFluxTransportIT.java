package io.sseservice.webflux;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseservice.CloseReason;
import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.test.RecordingListener;
import io.sseservice.test.TransportCompatibilityKit;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebHandler;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The compatibility kit on Reactor Netty behind Spring's {@code WebHttpHandlerBuilder}, with a
 * real {@code WebFilter} setting the framework's headers; plus what only Reactor Netty can show:
 * a client that stopped reading is cut off, not left holding its socket.
 */
class WebFluxTransportIT extends TransportCompatibilityKit {

  private DisposableServer server;

  /** The server side of every open TCP connection. */
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

  /** What a framework in front would have added: passed through, ours win on the same name. */
  static final WebFilter FRAMEWORK_HEADERS =
      (exchange, chain) -> {
        exchange.getResponse().getHeaders().set(FRAMEWORK_HEADER, "kept");
        exchange.getResponse().getHeaders().set("Cache-Control", "private");
        return chain.filter(exchange);
      };

  @Override
  protected URI startServer(
      SseService service, Function<Map<String, String>, ConnectOptions> options) {
    ReactorHttpHandlerAdapter adapter =
        new ReactorHttpHandlerAdapter(
            WebHttpHandlerBuilder.webHandler(readyHandler(service, options))
                .filter(FRAMEWORK_HEADERS)
                .build());
    server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .doOnConnection(
                connection -> {
                  connections.add(connection);
                  connection.onDispose(() -> connections.remove(connection));
                })
            .handle(adapter)
            .bindNow();
    return URI.create("http://127.0.0.1:" + server.port() + "/sse");
  }

  /** The stream on {@code GET /sse} through the ready handler, {@link WebFluxSse#handler}. */
  static WebHandler readyHandler(
      SseService service, Function<Map<String, String>, ConnectOptions> options) {
    return RouterFunctions.toWebHandler(
        RouterFunctions.route(
            RequestPredicates.GET("/sse"),
            WebFluxSse.handler(
                service,
                request ->
                    Mono.fromSupplier(
                        () -> options.apply(parseQuery(request.uri().getRawQuery()))))));
  }

  @Override
  protected void stopServer() {
    server.disposeNow(Duration.ofSeconds(5));
  }

  @Test
  void aClientThatStoppedReadingIsCutOffWhenDroppedAsSlow() throws Exception {
    try (Socket stuck = new Socket()) {
      stuck.setReceiveBufferSize(1024);
      stuck.connect(new InetSocketAddress("127.0.0.1", server.port()));
      stuck
          .getOutputStream()
          .write(
              ("GET /sse?clientId=stuck HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      + "Accept: text/event-stream\r\n\r\n")
                  .getBytes(UTF_8));
      await().until(() -> service.client("stuck").isPresent());

      String kib = "x".repeat(1024);
      for (int i = 0; i < 50_000 && service.client("stuck").isPresent(); i++) {
        service.sendToClient("stuck", kib);
      }

      assertThat(service.client("stuck")).as("dropped as a slow consumer").isEmpty();
      await().until(() -> !listener.disconnects().isEmpty());
      assertThat(listener.disconnects())
          .extracting(RecordingListener.Disconnect::reason)
          .containsExactly(CloseReason.SLOW_CONSUMER);
      // ending politely would wait behind megabytes the client never reads: it must be cut
      await().atMost(WebFluxTransport.END_GRACE.plusSeconds(5)).until(connections::isEmpty);
    }
  }
}
