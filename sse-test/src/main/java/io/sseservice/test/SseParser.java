package io.sseservice.test;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Parses an event stream's text the way the WHATWG "server-sent events" section tells clients
 * to: lines end at CR, LF or CRLF; a blank line dispatches; {@code data} lines join with LF; an
 * {@code id} is kept across events; comments and events without data are not dispatched.
 *
 * <p>Thread-safety: stateless.
 */
final class SseParser {

  private SseParser() {}

  static List<ReceivedEvent> parse(String text) {
    List<ReceivedEvent> events = new ArrayList<>();
    StringBuilder data = null;
    String type = null;
    @Nullable String lastId = null;
    int i = 0;
    while (i < text.length()) {
      int end = i;
      while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
        end++;
      }
      if (end == text.length()) {
        break; // an unfinished line is not processed
      }
      String line = text.substring(i, end);
      i =
          end
              + (text.charAt(end) == '\r' && end + 1 < text.length() && text.charAt(end + 1) == '\n'
                  ? 2
                  : 1);
      if (line.isEmpty()) {
        if (data != null) {
          events.add(new ReceivedEvent(type == null ? "message" : type, data.toString(), lastId));
        }
        data = null;
        type = null;
        continue;
      }
      if (line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "data":
          data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
          break;
        case "event":
          type = value;
          break;
        case "id":
          if (value.indexOf('\0') < 0) {
            lastId = value;
          }
          break;
        default:
          break; // retry and unknown fields do not dispatch
      }
    }
    return events;
  }
}
