package io.sseservice;

import io.sseservice.internal.LogText;
import java.lang.System.Logger.Level;
import org.jspecify.annotations.Nullable;

/**
 * Writes the core's log lines so that no value in them can forge a line: every message goes
 * through {@link LogText#quote} whole, whatever it quotes (a client id, a group, an event, a
 * metadata map, a {@code Last-Event-ID}). Thread-safety: stateless.
 */
final class Logs {

  private Logs() {}

  /** Returns {@code value} with control characters escaped ({@code \n}, {@code \u0000}). */
  static String quote(String value) {
    return LogText.quote(value);
  }

  /** Logs {@code message}, escaped, at {@code level}. */
  static void log(Level level, String message) {
    SseService.LOG.log(level, LogText.quote(message));
  }

  /** Logs {@code message}, escaped, at {@code level} with {@code thrown} (may be null). */
  static void log(Level level, String message, @Nullable Throwable thrown) {
    SseService.LOG.log(level, LogText.quote(message), thrown);
  }
}
