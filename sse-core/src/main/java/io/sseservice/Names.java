package io.sseservice;

import io.sseservice.internal.LogText;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Checks the names that enter the service (client ids, groups, connection ids, metadata keys):
 * none may hold a character that {@link LogText} calls unsafe (a control character such as CR or
 * LF, DEL, a C1 control, a line separator, a bidirectional control, an unpaired surrogate). They
 * are quoted in log lines, carried in a cluster's messages and keys, and sent back in error
 * messages; every other character is allowed. Thread-safety: stateless.
 */
final class Names {

  private Names() {}

  /**
   * Returns {@code value}, or throws an {@link IllegalArgumentException} naming {@code field},
   * showing the value escaped and the character, e.g.
   * {@code clientId: "a\nb" contains a control character (U+000A)}.
   */
  static String check(String value, String field) {
    int at = LogText.firstUnsafe(value);
    if (at >= 0) {
      char c = value.charAt(at);
      throw new IllegalArgumentException(
          field
              + ": \""
              + LogText.quoteShort(value)
              + "\" contains "
              + LogText.describe(c)
              + " ("
              + LogText.codePoint(c)
              + ")");
    }
    return value;
  }

  /** Returns {@code value} checked as {@link #check} does; null stays null. */
  static @Nullable String checkNullable(@Nullable String value, String field) {
    return value == null ? null : check(value, field);
  }

  /** Returns {@code metadata} once every key is checked (null keys are left to the copy). */
  static <M extends Map<String, ?>> M checkKeys(M metadata) {
    for (String key : metadata.keySet()) {
      if (key != null) {
        check(key, "metadata key");
      }
    }
    return metadata;
  }
}
