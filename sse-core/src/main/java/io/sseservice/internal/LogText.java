package io.sseservice.internal;

/**
 * Tells which characters may not stand in a log line as they are, and escapes them: a value from
 * a peer (a client id, a group, a request path, a {@code Last-Event-ID}) holding CR or LF would
 * otherwise start a forged line of its own. Unsafe are the C0 controls (CR, LF, tab, NUL, ESC,
 * ...), DEL, the C1 controls (NEL among them), the line and paragraph separators U+2028 and
 * U+2029, the bidirectional embedding, override and isolate controls (U+202A..U+202E,
 * U+2066..U+2069, which make a terminal show text in another order than it was written), and
 * unpaired surrogates (no character at all: an encoder turns them into {@code ?}).
 *
 * <p>Thread-safety: stateless.
 */
public final class LogText {

  /** The longest part of a value that an error message quotes; the rest is cut. */
  public static final int MAX_QUOTED = 200;

  private LogText() {}

  /**
   * Returns {@code value} with every unsafe character escaped: {@code \n}, {@code \r},
   * {@code \t}, else {@code \}{@code uXXXX}. Returns {@code value} itself when nothing is unsafe.
   */
  public static String quote(String value) {
    int first = firstUnsafe(value);
    if (first < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length() + 16).append(value, 0, first);
    for (int i = first; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!isUnsafeAt(value, i)) {
        out.append(c);
        if (Character.isHighSurrogate(c)) {
          out.append(value.charAt(++i)); // the pair's second half
        }
      } else {
        out.append(escape(c));
      }
    }
    return out.toString();
  }

  /** Returns {@link #quote} of at most the first {@link #MAX_QUOTED} characters, for a message. */
  public static String quoteShort(String value) {
    return value.length() <= MAX_QUOTED
        ? quote(value)
        : quote(value.substring(0, MAX_QUOTED)) + "...(" + value.length() + " chars)";
  }

  /** Returns the index of the first unsafe character of {@code value}, or -1 if there is none. */
  public static int firstUnsafe(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (isUnsafeAt(value, i)) {
        return i;
      }
      if (Character.isHighSurrogate(value.charAt(i))) {
        i++; // a pair (isUnsafeAt said so): skip its second half
      }
    }
    return -1;
  }

  /** Returns what kind of unsafe character {@code c} is, for an error message. */
  public static String describe(char c) {
    if (Character.isSurrogate(c)) {
      return "an unpaired surrogate";
    }
    if (c == '\u2028' || c == '\u2029') {
      return "a line separator";
    }
    if (isBidiControl(c)) {
      return "a bidirectional control";
    }
    return "a control character";
  }

  /** Returns {@code c} as {@code U+XXXX}. */
  public static String codePoint(char c) {
    return String.format("U+%04X", (int) c);
  }

  private static boolean isUnsafeAt(String value, int i) {
    char c = value.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1));
    }
    return Character.isLowSurrogate(c)
        || Character.isISOControl(c)
        || c == '\u2028'
        || c == '\u2029'
        || isBidiControl(c);
  }

  private static boolean isBidiControl(char c) {
    return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
  }

  private static String escape(char c) {
    switch (c) {
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      default:
        return String.format("\\u%04x", (int) c);
    }
  }
}
