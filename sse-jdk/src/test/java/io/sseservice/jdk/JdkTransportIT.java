package io.sseservice.jdk;

import com.sun.net.httpserver.HttpServer;
import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.test.TransportCompatibilityKit;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.function.Function;

/** The transport compatibility kit on the JDK's own HTTP server. */
class JdkTransportIT extends TransportCompatibilityKit {

  private HttpServer server;

  @Override
  protected URI startServer(
      SseService service, Function<Map<String, String>, ConnectOptions> options) throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/sse",
        JdkSse.handler(
            service,
            exchange -> {
              // what a framework or filter would have put on the response already
              exchange.getResponseHeaders().set(FRAMEWORK_HEADER, "kept");
              exchange.getResponseHeaders().set("Cache-Control", "private");
              return options.apply(parseQuery(exchange.getRequestURI().getRawQuery()));
            }));
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/sse");
  }

  /**
   * {@code com.sun.net.httpserver} watches no socket while a handler's exchange is open (its
   * selector takes the channel back only when the exchange ends), and the exchange's request
   * body, read to its end for a GET, never touches the socket again: only a failed write tells.
   * TCP accepts the first write after the peer's FIN; the reset it draws fails the second.
   */
  @Override
  protected int writesToNoticeAGoneClient() {
    return 2;
  }

  @Override
  protected void stopServer() {
    server.stop(0);
  }
}
