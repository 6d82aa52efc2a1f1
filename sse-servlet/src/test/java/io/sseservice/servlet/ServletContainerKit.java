package io.sseservice.servlet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.test.SseLines;
import io.sseservice.test.TransportCompatibilityKit;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The compatibility kit plus what a Servlet container must show: many streams on a container
 * pool of {@link #CONTAINER_THREADS} threads, which only works when no thread is held per stream.
 */
abstract class ServletContainerKit extends TransportCompatibilityKit {

  /** The container's request thread pool in these tests: far fewer than the streams. */
  static final int CONTAINER_THREADS = 8;

  private URI base;

  /** Starts the container with {@link SseServlet} on /sse behind {@link FrameworkHeaderFilter}. */
  protected abstract int startContainer(SseServlet servlet) throws Exception;

  @Override
  protected URI startServer(
      SseService service, Function<Map<String, String>, ConnectOptions> options) throws Exception {
    int port =
        startContainer(
            new SseServlet(
                service, request -> options.apply(parseQuery(request.getQueryString()))));
    base = URI.create("http://127.0.0.1:" + port + "/sse");
    return base;
  }

  /**
   * The Servlet API tells of a closed connection only through a failed write: on HTTP/1.1 a
   * {@code ReadListener} gets {@code onAllDataRead} for a GET at once and nothing after it, and
   * neither Tomcat (11.0, 10.1) nor Jetty 12.1 watches the socket of an async request whose body
   * is read (measured: no listener call within seconds of a FIN or a reset). TCP accepts the
   * first write after the peer's FIN; the reset it draws fails the second.
   */
  @Override
  protected int writesToNoticeAGoneClient() {
    return 2;
  }

  @Test
  void manyStreamsOnAFewContainerThreads() throws Exception {
    int streams = 25 * CONTAINER_THREADS;
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < streams; i++) {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()));
        socket.setSoTimeout(10_000);
        socket
            .getOutputStream()
            .write(
                ("GET /sse?clientId=c"
                        + i
                        + "&group=many HTTP/1.1\r\n"
                        + "Host: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(UTF_8));
        sockets.add(socket);
      }
      await().until(() -> service.clients("many").size() == streams);

      assertThat(service.sendToAll("to everyone", null, "many")).isEqualTo(streams);

      for (Socket socket : sockets) {
        assertThat(SseLines.readUntil(socket.getInputStream(), "data: to everyone\n")).isTrue();
      }
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }
}
