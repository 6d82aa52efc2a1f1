package io.sseservice.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.test.TransportCompatibilityKit;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http2.Http2Protocol;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.TomcatHttpHandlerAdapter;
import org.springframework.web.server.WebHandler;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

/**
 * The compatibility kit on WebFlux over a Servlet container (Spring's Tomcat bridge), where
 * buffers are not Netty's and demand comes from Spring's Servlet write processor; plus HTTP/2
 * (h2c) recognised through the Servlet request.
 */
class WebFluxOnTomcatIT extends TransportCompatibilityKit {

  /** A path answered 204 at once: the request that upgrades the test's connection to h2c. */
  private static final String UPGRADE_PATH = "/upgrade";

  private Tomcat tomcat;
  private int port;

  /** What {@link NativeServer#allowsConnectionHeader} said for each request. */
  private final Queue<Boolean> connectionHeaderAllowed = new ConcurrentLinkedQueue<>();

  @Override
  protected URI startServer(
      SseService service, Function<Map<String, String>, ConnectOptions> options) throws Exception {
    Path baseDir = Files.createTempDirectory("tomcat");
    tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    connector.addUpgradeProtocol(new Http2Protocol());
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", baseDir.toString());
    WebHandler stream = WebFluxTransportIT.readyHandler(service, options);
    TomcatHttpHandlerAdapter servlet =
        new TomcatHttpHandlerAdapter(
            WebHttpHandlerBuilder.webHandler(
                    exchange -> {
                      if (exchange.getRequest().getPath().value().equals(UPGRADE_PATH)) {
                        exchange.getResponse().setStatusCode(HttpStatus.NO_CONTENT);
                        return exchange.getResponse().setComplete();
                      }
                      connectionHeaderAllowed.add(
                          NativeServer.allowsConnectionHeader(exchange.getRequest()));
                      return stream.handle(exchange);
                    })
                .filter(WebFluxTransportIT.FRAMEWORK_HEADERS)
                .build());
    Wrapper wrapper = Tomcat.addServlet(context, "webflux", servlet);
    wrapper.setAsyncSupported(true);
    context.addServletMappingDecoded("/", "webflux");
    tomcat.start();
    port = connector.getLocalPort();
    return URI.create("http://127.0.0.1:" + port + "/sse");
  }

  /**
   * Spring's Servlet bridge hears of a closed connection from the container, and Tomcat reports
   * nothing on the socket of an async request whose body is read (see the sse-servlet kit): only
   * a failed write tells. TCP accepts the first write after the peer's FIN; the reset it draws
   * fails the second.
   */
  @Override
  protected int writesToNoticeAGoneClient() {
    return 2;
  }

  @Override
  protected void stopServer() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }

  @SuppressWarnings("try") // the resource only has to stay open
  @Test
  void http2IsRecognisedThroughTheServletRequest() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    URI uri = URI.create("http://127.0.0.1:" + port + "/sse?clientId=h2");
    // The first request upgrades the connection (h2c) and ends normally. It must not be an
    // event stream that the client resets: DATA frames still arriving after the reset are each
    // answered by the JDK client with a tiny WINDOW_UPDATE, which Tomcat's HTTP/2 overhead
    // protection counts as abuse ("Too much overhead"), closing the connection with GOAWAY
    // under the second request in about one run of ten.
    HttpResponse<Void> upgrade =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + UPGRADE_PATH)).build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(upgrade.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(connectionHeaderAllowed).isEmpty();

    HttpResponse<InputStream> response =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(response.headers().firstValue("connection")).isEmpty();
      assertThat(connectionHeaderAllowed).containsExactly(false);
      await().until(() -> service.client("h2").isPresent());
    }
  }
}
