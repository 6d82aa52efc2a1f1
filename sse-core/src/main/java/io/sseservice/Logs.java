package io.sseservice;

/**
 * Makes values from peers safe to quote in log lines: a client id or group name holding CR, LF or
 * other control characters could otherwise forge a log line. Thread-safety: stateless.
 */
final class Logs {

  private Logs() {}

  /** Returns {@code value} with control characters escaped ({@code \n}, {@code \u0000}). */
  static String quote(String value) {
    int i = 0;
    while (i < value.length() && !Character.isISOControl(value.charAt(i))) {
      i++;
    }
    if (i == value.length()) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length() + 8).append(value, 0, i);
    for (; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
