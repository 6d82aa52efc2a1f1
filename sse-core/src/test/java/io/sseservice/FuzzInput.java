package io.sseservice;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads a fuzz input as events, in a text form that a person can write into the committed corpus:
 * one {@code field=value} line per field ({@code data}, {@code event}, {@code id}, {@code retry}
 * in milliseconds, {@code comment}), a {@code ---} line between events. Values are unescaped:
 * {@code \r}, {@code \n}, {@code \0}, {@code \t}, {@code \\} and {@code \}{@code uXXXX} (which
 * can make an unpaired surrogate, something UTF-8 cannot hold). Lines split at LF only, so a raw
 * CR stays in a value. Anything else is ignored: every byte string is some input.
 *
 * <p>Thread-safety: stateless.
 */
final class FuzzInput {

  /** More events than this add nothing a fuzzer could not find with fewer. */
  static final int MAX_EVENTS = 16;

  /** One event's fields as the input gave them; null for absent. */
  static final class Spec {
    @Nullable String data;
    @Nullable String event;
    @Nullable String id;
    @Nullable Long retryMillis;
    @Nullable String comment;

    boolean isEmpty() {
      return data == null && event == null && id == null && retryMillis == null && comment == null;
    }
  }

  private FuzzInput() {}

  static List<Spec> events(byte[] input) {
    List<Spec> events = new ArrayList<>();
    Spec current = new Spec();
    for (String line : text(input).split("\n", -1)) {
      if (line.equals("---")) {
        events.add(current);
        if (events.size() == MAX_EVENTS) {
          return events;
        }
        current = new Spec();
        continue;
      }
      int eq = line.indexOf('=');
      if (eq > 0) {
        set(current, line.substring(0, eq), unescape(line.substring(eq + 1)));
      }
    }
    events.add(current);
    return events;
  }

  private static void set(Spec spec, String field, String value) {
    switch (field) {
      case "data":
        spec.data = value;
        break;
      case "event":
        spec.event = value;
        break;
      case "id":
        spec.id = value;
        break;
      case "retry":
        try {
          spec.retryMillis = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
          // not a number: no retry
        }
        break;
      case "comment":
        spec.comment = value;
        break;
      default:
        break;
    }
  }

  /** The input as UTF-8; a malformed byte becomes U+FFFD. */
  static String text(byte[] input) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(input))
          .toString();
    } catch (CharacterCodingException e) {
      throw new AssertionError(e); // REPLACE never throws
    }
  }

  static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 == s.length()) {
        out.append(c);
        continue;
      }
      char next = s.charAt(++i);
      switch (next) {
        case 'r' -> out.append('\r');
        case 'n' -> out.append('\n');
        case '0' -> out.append('\0');
        case 't' -> out.append('\t');
        case '\\' -> out.append('\\');
        case 'u' -> i = unicode(s, i, out);
        default -> out.append('\\').append(next);
      }
    }
    return out.toString();
  }

  /** Appends the char of {@code \}{@code uXXXX} at {@code u}; returns the index of its end. */
  private static int unicode(String s, int u, StringBuilder out) {
    if (u + 4 < s.length()) {
      try {
        out.append((char) Integer.parseInt(s.substring(u + 1, u + 5), 16));
        return u + 4;
      } catch (NumberFormatException e) {
        // not four hex digits: kept as it is
      }
    }
    out.append("\\u");
    return u;
  }
}
