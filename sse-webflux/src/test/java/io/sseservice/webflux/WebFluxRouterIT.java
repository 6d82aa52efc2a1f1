package io.sseservice.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.test.SseLines;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.RouterFunctions;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

/**
 * {@link WebFluxSse#handler} in a router function on Reactor Netty speaking HTTP/1.1 and
 * cleartext HTTP/2: the protocol is recognised (no {@code Connection} header on HTTP/2), refused
 * options answer 403, a closed service 503.
 */
class WebFluxRouterIT {

  private SseService service;
  private DisposableServer server;

  /** What {@link NativeServer#allowsConnectionHeader} said for each request. */
  private final Queue<Boolean> connectionHeaderAllowed = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start() {
    service = SseService.create();
    HandlerStrategies strategies =
        HandlerStrategies.builder()
            .webFilter(
                (exchange, chain) -> {
                  connectionHeaderAllowed.add(
                      NativeServer.allowsConnectionHeader(exchange.getRequest()));
                  return chain.filter(exchange);
                })
            .build();
    ReactorHttpHandlerAdapter adapter =
        new ReactorHttpHandlerAdapter(
            RouterFunctions.toHttpHandler(
                RouterFunctions.route(
                    GET("/sse"),
                    WebFluxSse.handler(
                        service,
                        request ->
                            Mono.justOrEmpty(request.queryParam("clientId"))
                                .map(id -> ConnectOptions.builder().clientId(id).build()))),
                strategies));
    server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .protocol(HttpProtocol.HTTP11, HttpProtocol.H2C)
            .handle(adapter)
            .bindNow();
  }

  @AfterEach
  void stop() {
    service.close();
    server.disposeNow();
  }

  private HttpResponse<Stream<String>> open(HttpClient.Version version, String query)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().version(version).build();
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/sse?" + query))
            .build(),
        HttpResponse.BodyHandlers.ofLines());
  }

  @Test
  void streamsOverHttp2WithoutConnectionHeader() throws Exception {
    HttpResponse<Stream<String>> first = open(HttpClient.Version.HTTP_2, "clientId=ann");
    HttpResponse<Stream<String>> second = open(HttpClient.Version.HTTP_2, "clientId=bob");

    assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(first.headers().firstValue("content-type"))
        .hasValue("text/event-stream;charset=utf-8");
    assertThat(first.headers().firstValue("connection")).isEmpty();
    // the first request came over HTTP/1.1 and was upgraded (h2c); the second is HTTP/2 only
    assertThat(connectionHeaderAllowed).endsWith(false);
    await().until(() -> service.stats().connections() == 2);

    service.sendToClient("ann", "for ann");
    service.sendToClient("bob", "for bob");
    assertThat(SseLines.nextData(first.body().iterator())).isEqualTo("for ann");
    assertThat(SseLines.nextData(second.body().iterator())).isEqualTo("for bob");
    first.body().close();
    second.body().close();
  }

  @Test
  void http11GetsTheConnectionHeader() throws Exception {
    HttpResponse<Stream<String>> response = open(HttpClient.Version.HTTP_1_1, "clientId=ann");

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(response.headers().firstValue("connection")).hasValue("keep-alive");
    assertThat(connectionHeaderAllowed).containsExactly(true);
    await().until(() -> service.client("ann").isPresent());
    service.sendToClient("ann", "hi");
    assertThat(SseLines.nextData(response.body().iterator())).isEqualTo("hi");
    response.body().close();
  }

  @Test
  void noOptionsMeans403() throws Exception {
    HttpResponse<Stream<String>> response = open(HttpClient.Version.HTTP_1_1, "anonymous=yes");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(service.stats().connections()).isZero();
  }

  @Test
  void aClosedServiceAnswers503() throws Exception {
    service.close();

    HttpResponse<Stream<String>> response = open(HttpClient.Version.HTTP_1_1, "clientId=late");

    assertThat(response.statusCode()).isEqualTo(503);
  }
}
