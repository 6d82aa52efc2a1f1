package io.sseservice.netty;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The application's routes of a {@link NettySseServer}: for each path, its handler per method.
 * A path with a route belongs to the routes: another method on it gets 405 with {@code Allow},
 * never the fallback.
 *
 * <p>Thread-safety: immutable once built; one instance serves every connection of a server.
 */
final class Routes {

  /** Path to method name (sorted, for {@code Allow}) to handler. */
  private final Map<String, Map<String, Function<FullHttpRequest, FullHttpResponse>>> byPath;

  private Routes(Map<String, Map<String, Function<FullHttpRequest, FullHttpResponse>>> byPath) {
    this.byPath = byPath;
  }

  /** Returns an empty, mutable table for a builder; {@link #copy()} freezes it. */
  static Routes mutable() {
    return new Routes(new LinkedHashMap<>());
  }

  /** Adds a route; returns false if {@code method} on {@code path} has one already. */
  boolean add(HttpMethod method, String path, Function<FullHttpRequest, FullHttpResponse> handler) {
    return byPath.computeIfAbsent(path, p -> new TreeMap<>()).putIfAbsent(method.name(), handler)
        == null;
  }

  /** Returns an immutable copy. */
  Routes copy() {
    Map<String, Map<String, Function<FullHttpRequest, FullHttpResponse>>> frozen =
        new LinkedHashMap<>();
    byPath.forEach((path, methods) -> frozen.put(path, Map.copyOf(methods)));
    return new Routes(Map.copyOf(frozen));
  }

  /** Whether some route serves {@code path}. */
  boolean has(String path) {
    return byPath.containsKey(path);
  }

  /** Returns the handler of {@code method} on {@code path}, or null. */
  @Nullable Function<FullHttpRequest, FullHttpResponse> find(HttpMethod method, String path) {
    Map<String, Function<FullHttpRequest, FullHttpResponse>> methods = byPath.get(path);
    return methods == null ? null : methods.get(method.name());
  }

  /** Returns the methods of {@code path}, for {@code Allow}: {@code "GET, POST"}. */
  String allowed(String path) {
    return String.join(", ", new TreeMap<>(byPath.getOrDefault(path, Map.of())).keySet());
  }
}
