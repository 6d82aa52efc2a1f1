package io.sseservice;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A client's parser written from the WHATWG HTML standard, "Interpreting an event stream", and
 * from nothing in the production code: the oracle of the fuzz tests. It decodes UTF-8 (dropping
 * one leading BOM, replacing malformed bytes), splits lines at CRLF, LF or CR, and keeps a trace
 * of every line it saw, so that a test can tell an injected field or event from a wanted one.
 *
 * <p>Thread-safety: not thread-safe; one parser per stream.
 */
final class SpecEventStreamParser {

  /** One dispatched event, as a browser's {@code MessageEvent} would carry it. */
  record Dispatched(String type, String data, String lastEventId) {}

  final List<Dispatched> dispatched = new ArrayList<>();

  /**
   * Every line, by kind, one list per blank line ending it: {@code data}, {@code event}, {@code
   * id}, {@code retry}, {@code :} for a comment, any other field by its name.
   */
  final List<List<String>> blocks = new ArrayList<>();

  /** The reconnection time set by the last valid {@code retry} field, or -1. */
  long retry = -1;

  private final StringBuilder data = new StringBuilder();
  private String eventType = "";
  private String lastEventIdBuffer = "";
  private String lastEventId = "";
  private List<String> block = new ArrayList<>();

  /** Returns a parser that has read the whole {@code stream}. */
  static SpecEventStreamParser parse(byte[] stream) {
    SpecEventStreamParser parser = new SpecEventStreamParser();
    String text = decode(stream);
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r' || c == '\n') {
        parser.line(text.substring(start, i));
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    // an unterminated last line, and an event without its blank line, are discarded
    return parser;
  }

  /** Returns the last event id the client would send back on reconnecting. */
  String lastEventId() {
    return lastEventId;
  }

  /** Returns the lines seen after the last blank line: they form no complete event. */
  List<String> pending() {
    return block;
  }

  private static String decode(byte[] stream) {
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPLACE)
              .onUnmappableCharacter(CodingErrorAction.REPLACE)
              .decode(ByteBuffer.wrap(stream))
              .toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new AssertionError(e); // REPLACE never throws
    }
  }

  private void line(String line) {
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.charAt(0) == ':') {
      block.add(":");
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    block.add(field);
    process(field, value);
  }

  private void process(String field, String value) {
    switch (field) {
      case "event":
        eventType = value;
        break;
      case "data":
        data.append(value).append('\n');
        break;
      case "id":
        if (value.indexOf('\0') < 0) {
          lastEventIdBuffer = value;
        }
        break;
      case "retry":
        if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
          retry = value.length() > 18 ? Long.MAX_VALUE : Long.parseLong(value);
        }
        break;
      default:
        break; // ignored, as the spec says
    }
  }

  private void dispatch() {
    blocks.add(block);
    block = new ArrayList<>();
    lastEventId = lastEventIdBuffer;
    if (data.length() == 0) {
      eventType = "";
      return;
    }
    String text = data.substring(0, data.length() - 1);
    dispatched.add(new Dispatched(eventType.isEmpty() ? "message" : eventType, text, lastEventId));
    data.setLength(0);
    eventType = "";
  }
}
