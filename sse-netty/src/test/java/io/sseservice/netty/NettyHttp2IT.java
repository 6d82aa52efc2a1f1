package io.sseservice.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.test.SseLines;
import io.sseservice.test.TransportProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Event streams over cleartext HTTP/2, read by the JDK's HTTP/2 client. */
class NettyHttp2IT {

  private final TransportProbe probe = new TransportProbe();
  private SseService service;
  private NettySseServer server;
  private HttpClient http;

  @BeforeEach
  void start() {
    service = SseService.builder().transportDecorator(probe).build();
    server =
        NettySseServer.builder(service)
            .host("127.0.0.1")
            .port(0)
            .options(
                request ->
                    ConnectOptions.builder()
                        .clientId(
                            new io.netty.handler.codec.http.QueryStringDecoder(request.uri())
                                .parameters()
                                .get("clientId")
                                .get(0))
                        .build())
            .start();
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
  }

  @AfterEach
  void stop() {
    service.close();
    server.close();
  }

  private HttpResponse<Stream<String>> open(String clientId) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/sse?clientId=" + clientId))
            .build(),
        HttpResponse.BodyHandlers.ofLines());
  }

  @Test
  void streamsOverHttp2WithoutConnectionHeader() throws Exception {
    HttpResponse<Stream<String>> first = open("ann"); // upgrades the connection to h2c
    HttpResponse<Stream<String>> second = open("bob"); // a second stream on the same connection

    assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("content-type"))
        .hasValue("text/event-stream;charset=utf-8");
    assertThat(first.headers().firstValue("cache-control")).hasValue("no-cache");
    assertThat(first.headers().firstValue("connection")).isEmpty();
    await().until(() -> service.stats().connections() == 2);
    // the HTTP/2 codec would drop a Connection header itself, so the response alone cannot show
    // the adapter's decision: check what the adapter's transport told the service
    assertThat(probe.transports())
        .hasSize(2)
        .allSatisfy(
            t -> {
              assertThat(t.connectionHeaderDecision()).isFalse();
              assertThat(t.openHeaders()).doesNotContainKey("Connection");
            });

    service.sendToClient("ann", "for ann");
    service.sendToClient("bob", "for bob");
    service.sendToAll("multi\nline");

    Iterator<String> ann = first.body().iterator();
    Iterator<String> bob = second.body().iterator();
    assertThat(SseLines.nextData(ann)).isEqualTo("for ann");
    assertThat(SseLines.nextData(bob)).isEqualTo("for bob");
    assertThat(SseLines.nextData(ann)).isEqualTo("multi");
    assertThat(SseLines.nextData(ann)).isEqualTo("line");
    first.body().close();
    second.body().close();
  }

  @Test
  void serverCloseEndsTheHttp2Stream() throws Exception {
    HttpResponse<Stream<String>> response = open("ann");
    await().until(() -> service.client("ann").isPresent());
    service.sendToClient("ann", "bye");
    service.client("ann").orElseThrow().connections().get(0).close();

    Iterator<String> lines = response.body().iterator();
    assertThat(SseLines.nextData(lines)).isEqualTo("bye");
    while (lines.hasNext()) {
      lines.next(); // drains to the end of the stream: it must end
    }
    await().until(() -> service.client("ann").isEmpty());
  }
}
