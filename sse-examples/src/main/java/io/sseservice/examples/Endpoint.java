package io.sseservice.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON endpoint, a route of the {@code NettySseServer}: the server gives it the requests for
 * its method and path (another method on the path gets the server's 405 with {@code Allow}), and
 * it turns every failure into a JSON error ({@code {"error": "..."}}) instead of a stack trace: an
 * {@link ApiException} with its status, an {@link IllegalArgumentException} (a bad parameter the
 * library refused, such as an event name holding a newline) with 400, anything else with 500 and
 * a log entry.
 *
 * <p>Thread-safety: thread-safe if its action is; the server calls it from several threads.
 */
final class Endpoint implements Function<FullHttpRequest, FullHttpResponse> {

  /** The work of an endpoint; returns the body to write as JSON with status 200. */
  @FunctionalInterface
  interface Action {
    Object handle(FullHttpRequest request);
  }

  private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);

  private final HttpMethod method;
  private final String path;
  private final Action action;

  Endpoint(HttpMethod method, String path, Action action) {
    this.method = method;
    this.path = path;
    this.action = action;
  }

  HttpMethod method() {
    return method;
  }

  String path() {
    return path;
  }

  @Override
  public FullHttpResponse apply(FullHttpRequest request) {
    try {
      return json(HttpResponseStatus.OK, action.handle(request));
    } catch (ApiException e) {
      return json(HttpResponseStatus.valueOf(e.status()), error(e.getMessage()));
    } catch (IllegalArgumentException e) {
      return json(HttpResponseStatus.BAD_REQUEST, error(e.getMessage()));
    } catch (RuntimeException e) {
      LOG.error("{} {} failed", request.method(), request.uri(), e);
      return json(
          HttpResponseStatus.INTERNAL_SERVER_ERROR,
          error("internal error: " + e.getClass().getSimpleName() + " (see the server log)"));
    }
  }

  static Map<String, Object> error(String message) {
    return Map.of("error", message == null ? "bad request" : message);
  }

  /** Returns {@code body} as a complete JSON response; the server adds the length. */
  static FullHttpResponse json(HttpResponseStatus status, Object body) {
    byte[] bytes;
    try {
      bytes = Json.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + body.getClass().getName() + " as JSON", e);
    }
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "application/json;charset=utf-8")
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store"); // live state, never cache
    return response;
  }
}
