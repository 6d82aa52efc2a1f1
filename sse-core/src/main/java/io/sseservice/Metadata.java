package io.sseservice;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Copies metadata into unmodifiable maps that keep the caller's key order, and merges changes
 * into it: a change's keys replace the same keys' values, a null value removes its key.
 */
final class Metadata {

  private Metadata() {}

  static Map<String, Object> copy(Map<String, ?> metadata) {
    Map<String, Object> copy = new LinkedHashMap<>(metadata.size() * 2);
    metadata.forEach(
        (key, value) -> {
          if (key == null) {
            throw new IllegalArgumentException("metadata: null key (expected: non-null keys)");
          }
          copy.put(key, value);
        });
    return Collections.unmodifiableMap(copy);
  }

  /** Returns {@code base} with {@code changes} merged in: a null value removes its key. */
  static Map<String, Object> merge(Map<String, Object> base, Map<String, ?> changes) {
    Map<String, Object> merged = new LinkedHashMap<>(base);
    changes.forEach(
        (key, value) -> {
          if (key == null) {
            throw new IllegalArgumentException("metadata: null key (expected: non-null keys)");
          }
          if (value == null) {
            merged.remove(key);
          } else {
            merged.put(key, value);
          }
        });
    return Collections.unmodifiableMap(merged);
  }
}
