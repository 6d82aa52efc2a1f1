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
  public static ConnectOptions apply(
      ConnectOptions options, @Nullable String header, @Nullable String rawQuery) {
    if (options.lastEventId().isPresent()) {
      return options;
    }
    String id = header != null && !header.isEmpty() ? header : fromQuery(rawQuery);
    return id == null ? options : options.toBuilder().lastEventId(id).build();
  }

  /**
   * Returns the decoded {@code lastEventId} query parameter, or null. A value that is not validly
   * percent-encoded ({@code %zz}, a lone {@code %}) is taken as it came, never as absent: the
   * client did say it had seen something, and an id the history does not hold gets the reset
   * event, where an absent one would silently replay nothing.
   */
  static @Nullable String fromQuery(@Nullable String rawQuery) {
    if (rawQuery == null) {
      return null;
    }
    String prefix = ConnectOptions.LAST_EVENT_ID_PARAM + "=";
    for (String pair : rawQuery.split("&")) {
      if (pair.startsWith(prefix)) {
        String raw = pair.substring(prefix.length());
        try {
          return URLDecoder.decode(raw, UTF_8);
        } catch (IllegalArgumentException e) {
          return raw;
        }
      }
    }
    return null;
  }
}
