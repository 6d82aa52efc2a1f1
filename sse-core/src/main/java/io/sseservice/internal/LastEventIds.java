package io.sseservice.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.sseservice.ConnectOptions;
import java.net.URLDecoder;
import org.jspecify.annotations.Nullable;

/**
 * Finds the last event id a reconnecting client sent: the {@code Last-Event-ID} header, else the
 * {@code lastEventId} query parameter. Shared by the adapters so that they all read it alike.
 *
 * <p>Thread-safety: stateless.
 */
public final class LastEventIds {

  private LastEventIds() {}

  /** Returns {@code options} with the last event id from the request, unless it already has one. */
  public static ConnectOptions apply(ConnectOptions options, @Nullable String header,
      @Nullable String rawQuery) {
    if (options.lastEventId().isPresent()) {
      return options;
    }
    String id = header != null && !header.isEmpty() ? header : fromQuery(rawQuery);
    return id == null ? options : options.toBuilder().lastEventId(id).build();
  }

  /** Returns the decoded {@code lastEventId} query parameter, or null. */
  static @Nullable String fromQuery(@Nullable String rawQuery) {
    if (rawQuery == null) {
      return null;
    }
    String prefix = ConnectOptions.LAST_EVENT_ID_PARAM + "=";
    for (String pair : rawQuery.split("&")) {
      if (pair.startsWith(prefix)) {
        try {
          return URLDecoder.decode(pair.substring(prefix.length()), UTF_8);
        } catch (IllegalArgumentException e) {
          return null; // malformed escape from the peer: treat as absent
        }
      }
    }
    return null;
  }
}
