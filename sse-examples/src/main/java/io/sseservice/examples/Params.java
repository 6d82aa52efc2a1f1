package io.sseservice.examples;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The parameters of one API request. The API takes them from one place per method, so callers
 * never wonder which wins: {@code GET} reads the query string, {@code POST} reads an
 * {@code application/x-www-form-urlencoded} body (what the page's {@code fetch} sends with a
 * {@code URLSearchParams} body, and what {@code curl -d} sends). The one exception is
 * {@code POST /api/metadata} with a JSON body, which takes {@code clientId} and {@code group}
 * from the query string because the body is the metadata itself.
 *
 * <p>An empty value counts as absent, so a blank form field means "not given". When a name
 * repeats, its first value counts. The server has aggregated the whole request before a route
 * sees it, and refuses a body over 64 KiB itself (413), so nothing here reads a socket.
 */
final class Params {

  private static final String FORM = "application/x-www-form-urlencoded";

  private final Map<String, String> values;

  private Params(Map<String, String> values) {
    this.values = values;
  }

  /** Parses the query string. @throws IllegalArgumentException if it is malformed */
  static Params query(FullHttpRequest request) {
    return new Params(decode(new QueryStringDecoder(request.uri()).rawQuery()));
  }

  /** Parses a form body; a request without Content-Type is read as a form too (curl, scripts). */
  static Params form(FullHttpRequest request) {
    String type = contentType(request);
    if (!type.isEmpty() && !type.equals(FORM)) {
      throw new ApiException(415, "Content-Type " + type + " (expected: " + FORM + ")");
    }
    return new Params(decode(body(request)));
  }

  /** Returns the media type of the request, lower case, without parameters; "" if none. */
  static String contentType(FullHttpRequest request) {
    String header = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (header == null) {
      return "";
    }
    int semicolon = header.indexOf(';');
    return (semicolon < 0 ? header : header.substring(0, semicolon))
        .trim()
        .toLowerCase(Locale.ROOT);
  }

  /** Returns the whole body as UTF-8 text. */
  static String body(FullHttpRequest request) {
    return request.content().toString(StandardCharsets.UTF_8);
  }

  /** Returns the value of {@code name}. @throws ApiException 400 naming it, if absent */
  String required(String name) {
    String value = values.get(name);
    if (value == null) {
      throw ApiException.badRequest("missing required parameter '" + name + "'");
    }
    return value;
  }

  /** Returns the value of {@code name}, or null if it is absent or empty. */
  @Nullable String optional(String name) {
    return values.get(name);
  }

  /** Returns {@code name}'s value, or {@code fallback} if absent or empty. */
  String optional(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  /** Returns whether {@code name} is {@code true} (any case). */
  boolean flag(String name) {
    return "true".equalsIgnoreCase(values.get(name));
  }

  private static Map<String, String> decode(@Nullable String raw) {
    if (raw == null || raw.isEmpty()) {
      return Map.of();
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = unescape(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : unescape(pair.substring(eq + 1));
      if (!name.isEmpty() && !value.isEmpty()) {
        values.putIfAbsent(name, value);
      }
    }
    return Collections.unmodifiableMap(values);
  }

  private static String unescape(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "malformed URL encoding in \"" + s + "\": " + e.getMessage(), e);
    }
  }
}
