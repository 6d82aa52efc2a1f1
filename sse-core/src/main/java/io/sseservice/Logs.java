package io.sseservice;

import io.sseservice.internal.LogText;

/**
 * Makes the core's log lines safe: every message that holds a value goes through
 * {@link #quote} whole, whatever it quotes (a client id, a group, an event, a metadata map, a
 * target), so that a value holding CR, LF or another control character cannot forge a line.
 * The call stays at the logging site, so a backend still names the class that logged.
 * Thread-safety: stateless.
 */
final class Logs {

  private Logs() {}

  /** Returns {@code value} with control characters escaped ({@code \n}, {@code \u0000}). */
  static String quote(String value) {
    return LogText.quote(value);
  }
}
