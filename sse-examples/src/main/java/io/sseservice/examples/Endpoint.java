package io.sseservice.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON endpoint: answers exactly one path and one method, and turns every failure into a JSON
 * error ({@code {"error": "..."}}) instead of a stack trace: an {@link ApiException} with its
 * status, an {@link IllegalArgumentException} (a bad parameter the library refused, such as an
 * event name holding a newline) with 400, anything else with 500 and a log entry.
 */
final class Endpoint implements HttpHandler {

  /** The work of an endpoint; returns the body to write as JSON with status 200. */
  @FunctionalInterface
  interface Action {
    Object handle(HttpExchange exchange) throws IOException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);

  private final String method;
  private final String path;
  private final Action action;

  Endpoint(String method, String path, Action action) {
    this.method = method;
    this.path = path;
    this.action = action;
  }

  String path() {
    return path;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      // the JDK server matches contexts by prefix; "/api/stats/x" is not this endpoint
      if (!path.equals(exchange.getRequestURI().getPath())) {
        throw ApiException.notFound("no such endpoint: " + exchange.getRequestURI().getPath());
      }
      if (!method.equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", method);
        throw new ApiException(405, exchange.getRequestMethod() + " " + path + " (expected: "
            + method + ")");
      }
      respond(exchange, 200, action.handle(exchange));
    } catch (ApiException e) {
      respond(exchange, e.status(), error(e.getMessage()));
    } catch (IllegalArgumentException e) {
      respond(exchange, 400, error(e.getMessage()));
    } catch (RuntimeException e) {
      LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      respond(exchange, 500, error("internal error: " + e.getClass().getSimpleName()
          + " (see the server log)"));
    } finally {
      exchange.close();
    }
  }

  static Map<String, Object> error(String message) {
    return Map.of("error", message == null ? "bad request" : message);
  }

  /** Writes {@code body} as a complete JSON response. */
  static void respond(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store"); // live state, never cache
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
