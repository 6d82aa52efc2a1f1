package io.sseservice;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The response headers of an event stream, merged with the ones the application passes through. */
final class ResponseHeaders {

  static final String CONTENT_TYPE = "text/event-stream;charset=utf-8";

  private ResponseHeaders() {}

  /** Returns {@code passthrough} plus ours, ours winning on the same (case-insensitive) name. */
  static Map<String, String> merge(Map<String, String> passthrough, boolean connectionHeader) {
    Map<String, String> ours = new LinkedHashMap<>();
    ours.put("Content-Type", CONTENT_TYPE);
    ours.put("Cache-Control", "no-cache");
    ours.put("X-Accel-Buffering", "no");
    if (connectionHeader) {
      ours.put("Connection", "keep-alive");
    }
    Map<String, String> merged = new LinkedHashMap<>();
    passthrough.forEach(
        (name, value) -> {
          if (ours.keySet().stream().noneMatch(name::equalsIgnoreCase)) {
            merged.put(name, value);
          }
        });
    merged.putAll(ours);
    return Collections.unmodifiableMap(merged);
  }
}
