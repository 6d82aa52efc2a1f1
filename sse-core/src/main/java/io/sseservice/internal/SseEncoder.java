package io.sseservice.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.sseservice.SseEvent;
import org.jspecify.annotations.Nullable;

/**
 * Writes events in the exact wire format of the WHATWG HTML "server-sent events" section: UTF-8,
 * one {@code data:} line per line of the data whatever its line ending, and no field value that
 * could inject a field or an event. Each event is encoded once into a byte array that every
 * receiving connection then shares.
 *
 * <p>Thread-safety: stateless, safe from any thread.
 */
public final class SseEncoder {

  /** A keep-alive: a comment line, which every client ignores, then a blank line. */
  private static final byte[] PING = ": ping\n\n".getBytes(UTF_8);

  private static final byte[] DATA = "data: ".getBytes(UTF_8);
  private static final byte[] ID = "id: ".getBytes(UTF_8);
  private static final byte[] EVENT = "event: ".getBytes(UTF_8);
  private static final byte[] RETRY = "retry: ".getBytes(UTF_8);
  private static final byte[] COMMENT = ": ".getBytes(UTF_8);

  private SseEncoder() {}

  /** Returns the keep-alive frame. Callers must not modify it. */
  public static byte[] ping() {
    return PING;
  }

  /**
   * Returns {@code event} unchanged.
   *
   * @throws IllegalArgumentException if it holds CR, LF or an unpaired surrogate
   */
  public static String checkEvent(String event) {
    for (int i = 0; i < event.length(); i++) {
      char c = event.charAt(i);
      if (c == '\r' || c == '\n') {
        throw new IllegalArgumentException(
            "event: " + quote(event) + " (expected: no CR or LF, they would inject fields)");
      }
    }
    return checkWritable(event, "event");
  }

  /**
   * Returns {@code id} unchanged.
   *
   * @throws IllegalArgumentException if it holds CR, LF, NUL or an unpaired surrogate
   */
  public static String checkId(String id) {
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c == '\r' || c == '\n' || c == '\0') {
        throw new IllegalArgumentException(
            "id: " + quote(id) + " (expected: no CR, LF or NUL; clients would drop or split it)");
      }
    }
    return checkWritable(id, "id");
  }

  /**
   * Returns {@code value} if UTF-8 can carry it as it is. An unpaired surrogate would go out as
   * {@code ?}: a client would know the event by another type, and send back another id as its
   * {@code Last-Event-ID}, which the history does not hold, so it would get a reset, not a replay.
   */
  private static String checkWritable(String value, String field) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            field
                + ": \""
                + LogText.quoteShort(value)
                + "\" (expected: no unpaired surrogate; UTF-8 cannot carry it, the client would"
                + " get '?')");
      }
    }
    return value;
  }

  /** Returns the bytes of one event, ending with the blank line that dispatches it. */
  public static byte[] encode(SseEvent event) {
    byte[] comment = bytesOrNull(event.comment().orElse(null));
    byte[] id = bytesOrNull(event.id().orElse(null));
    byte[] type = bytesOrNull(event.event().orElse(null));
    byte[] retry = event.retry().map(r -> bytes(Long.toString(r.toMillis()))).orElse(null);
    byte[] data = bytesOrNull(event.data().orElse(null));

    int size =
        1
            + linesSize(COMMENT, comment)
            + fieldSize(ID, id)
            + fieldSize(EVENT, type)
            + fieldSize(RETRY, retry)
            + linesSize(DATA, data);
    byte[] out = new byte[size];
    int pos = writeLines(out, 0, COMMENT, comment);
    pos = writeField(out, pos, ID, id);
    pos = writeField(out, pos, EVENT, type);
    pos = writeField(out, pos, RETRY, retry);
    pos = writeLines(out, pos, DATA, data);
    out[pos] = '\n';
    return out;
  }

  /**
   * Returns how many bytes {@link #encode} would return for {@code event}, without encoding it:
   * a check of an event's size costs no copy of its data.
   */
  public static long size(SseEvent event) {
    long size =
        1
            + linesSize(COMMENT.length, event.comment().orElse(null))
            + fieldSize(ID.length, event.id().orElse(null))
            + fieldSize(EVENT.length, event.event().orElse(null))
            + linesSize(DATA.length, event.data().orElse(null));
    if (event.retry().isPresent()) {
      size += RETRY.length + Long.toString(event.retry().get().toMillis()).length() + 1;
    }
    return size;
  }

  private static long fieldSize(int prefix, @Nullable String value) {
    return value == null ? 0 : prefix + utf8Length(value) + 1;
  }

  /** The size of {@code text} written as one prefixed line per line, counted on its chars. */
  private static long linesSize(int prefix, @Nullable String text) {
    if (text == null) {
      return 0;
    }
    long lines = 1;
    int terminators = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        lines++;
        terminators++;
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          terminators++;
          i++;
        }
      }
    }
    return lines * (prefix + 1) + utf8Length(text) - terminators;
  }

  /**
   * The UTF-8 length of {@code s}, as {@link String#getBytes} makes it: an unpaired surrogate
   * becomes one replacement byte ({@code '?'}).
   */
  private static long utf8Length(String s) {
    long length = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        length++;
      } else if (c < 0x800) {
        length += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        length += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        length++;
      } else {
        length += 3;
      }
    }
    return length;
  }

  private static int fieldSize(byte[] prefix, byte @Nullable [] value) {
    return value == null ? 0 : prefix.length + value.length + 1;
  }

  private static int writeField(byte[] out, int pos, byte[] prefix, byte @Nullable [] value) {
    if (value == null) {
      return pos;
    }
    System.arraycopy(prefix, 0, out, pos, prefix.length);
    pos += prefix.length;
    System.arraycopy(value, 0, out, pos, value.length);
    pos += value.length;
    out[pos++] = '\n';
    return pos;
  }

  /**
   * Size of {@code text} written as one prefixed line per line. UTF-8 never uses the bytes of CR
   * and LF inside a multi-byte character, so splitting the encoded bytes is safe.
   */
  private static int linesSize(byte[] prefix, byte @Nullable [] text) {
    if (text == null) {
      return 0;
    }
    int lines = 1;
    int terminatorBytes = 0;
    for (int i = 0; i < text.length; i++) {
      byte b = text[i];
      if (b == '\n' || b == '\r') {
        lines++;
        terminatorBytes++;
        if (b == '\r' && i + 1 < text.length && text[i + 1] == '\n') {
          terminatorBytes++;
          i++;
        }
      }
    }
    return lines * (prefix.length + 1) + text.length - terminatorBytes;
  }

  private static int writeLines(byte[] out, int pos, byte[] prefix, byte @Nullable [] text) {
    if (text == null) {
      return pos;
    }
    int start = 0;
    for (int i = 0; i <= text.length; i++) {
      boolean end = i == text.length;
      if (end || text[i] == '\n' || text[i] == '\r') {
        System.arraycopy(prefix, 0, out, pos, prefix.length);
        pos += prefix.length;
        System.arraycopy(text, start, out, pos, i - start);
        pos += i - start;
        out[pos++] = '\n';
        if (!end && text[i] == '\r' && i + 1 < text.length && text[i + 1] == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    return pos;
  }

  private static byte @Nullable [] bytesOrNull(@Nullable String s) {
    return s == null ? null : bytes(s);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static String quote(String s) {
    return '"' + s.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0") + '"';
  }
}
