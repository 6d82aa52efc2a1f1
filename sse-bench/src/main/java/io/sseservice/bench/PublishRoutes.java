package io.sseservice.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpHandler;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The {@code POST /publish} route of each load server, as an application writes one: the body is
 * a {@link Commands} line, run on the thread the server calls its handler on (Netty: the
 * connection's event loop; Jetty: a pool thread; the JDK server: its dispatcher thread), and the
 * answer line is the response. The {@code *-handler} scenarios publish through it
 * ({@link PublishClient}), the others from the dedicated thread that reads stdin.
 *
 * <p>Thread-safety: the routes may run on any thread; {@link Commands#execute} is synchronized.
 */
final class PublishRoutes {

  /** The route's path on every server. */
  static final String PATH = "/publish";

  private PublishRoutes() {}

  /** A route for {@code NettySseServer.Builder.route} or a handler of one's own pipeline. */
  static FullHttpResponse netty(Commands commands, FullHttpRequest request) {
    byte[] answer = answer(commands, request.content().toString(UTF_8));
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(answer));
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, answer.length);
    return response;
  }

  /** The route as a handler of the JDK server. */
  static HttpHandler jdk(Commands commands) {
    return exchange -> {
      byte[] answer = answer(commands, new String(exchange.getRequestBody().readAllBytes(), UTF_8));
      exchange.sendResponseHeaders(200, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    };
  }

  /** The route as a servlet. */
  static HttpServlet servlet(Commands commands) {
    return new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void doPost(HttpServletRequest request, HttpServletResponse response)
          throws IOException {
        byte[] answer =
            answer(commands, new String(request.getInputStream().readAllBytes(), UTF_8));
        response.setContentLength(answer.length);
        response.getOutputStream().write(answer);
      }
    };
  }

  private static byte[] answer(Commands commands, String line) {
    String answer = commands.execute(line);
    return (answer == null ? "ERROR quit is for stdin" : answer).getBytes(UTF_8);
  }
}
