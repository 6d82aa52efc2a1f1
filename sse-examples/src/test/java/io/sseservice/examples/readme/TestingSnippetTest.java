package io.sseservice.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.jdk.JdkSse;
import io.sseservice.test.SseTestClient;
import java.net.InetSocketAddress;
import java.net.URI;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The README's "Testing your application" snippet, compiled and run. */
class TestingSnippetTest {

  @Test
  void aRealClientReceivesWhatTheServiceSends() throws Exception {
    SseService service = SseService.create();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/sse", JdkSse.handler(service, exchange -> ConnectOptions.builder()
        .clientId(exchange.getRequestURI().getQuery().substring("clientId=".length())).build()));
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    try {
      try (SseTestClient client = SseTestClient.connect(URI.create(base + "/sse?clientId=ann"))) {
        Awaitility.await().until(() -> service.client("ann").isPresent());
        service.sendToClient("ann", "hi");
        assertThat(client.takeEvent().data()).isEqualTo("hi");
      }
    } finally {
      service.close();
      server.stop(0);
    }
  }
}
