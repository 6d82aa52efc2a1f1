package io.sseservice.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the demo page ({@code index.html} next to this class) at {@code GET /}. The JDK server
 * routes every path no other context claims here, so anything but {@code /} gets a JSON 404.
 */
final class IndexPage implements HttpHandler {

  /**
   * The page is inline-only; the policy makes the browser enforce that (no CDN can sneak in) and
   * limits fetch and EventSource to this server.
   */
  private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; "
      + "script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
      + "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final byte[] html;

  /** Loads the page once. @throws IllegalStateException if the resource is missing */
  IndexPage() {
    try (InputStream in = IndexPage.class.getResourceAsStream("index.html")) {
      if (in == null) {
        throw new IllegalStateException("resource io/sseservice/examples/index.html is missing");
      }
      html = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read index.html", e);
    }
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      if (!"/".equals(path)) {
        Endpoint.respond(exchange, 404, Endpoint.error("no such path: " + path));
      } else if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET");
        Endpoint.respond(exchange, 405, Endpoint.error(exchange.getRequestMethod()
            + " / (expected: GET)"));
      } else {
        exchange.getResponseHeaders().set("Content-Type", "text/html;charset=utf-8");
        exchange.getResponseHeaders().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        exchange.sendResponseHeaders(200, html.length);
        exchange.getResponseBody().write(html);
      }
    } finally {
      exchange.close();
    }
  }
}
