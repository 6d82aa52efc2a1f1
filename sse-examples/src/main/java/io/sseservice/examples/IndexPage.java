package io.sseservice.examples;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Function;

/**
 * Serves the demo page ({@code index.html} next to this class), the route {@code GET /}.
 *
 * <p>Thread-safety: immutable once loaded; each response wraps the same read-only bytes.
 */
final class IndexPage implements Function<FullHttpRequest, FullHttpResponse> {

  /**
   * The page is inline-only; the policy makes the browser enforce that (no CDN can sneak in) and
   * limits fetch and EventSource to this server.
   */
  private static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; "
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
  public FullHttpResponse apply(FullHttpRequest request) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(html));
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/html;charset=utf-8")
        .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
    return response;
  }
}
