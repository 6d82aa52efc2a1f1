package io.sseservice;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Copies client metadata into an unmodifiable map that keeps the caller's key order. */
final class Metadata {

  private Metadata() {}

  static Map<String, Object> copy(Map<String, ?> metadata) {
    Map<String, Object> copy = new LinkedHashMap<>(metadata.size() * 2);
    metadata.forEach((key, value) -> {
      if (key == null) {
        throw new IllegalArgumentException("metadata: null key (expected: non-null keys)");
      }
      copy.put(key, value);
    });
    return Collections.unmodifiableMap(copy);
  }
}
