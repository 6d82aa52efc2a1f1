package io.sseservice.test;

import java.util.Iterator;

/**
 * Reads an event stream as plain lines, for tests that need a client the SSE libraries do not
 * offer (the JDK's HTTP/2 client with {@code BodyHandlers.ofLines()}, a raw socket).
 *
 * <pre>{@code
 * HttpResponse<Stream<String>> response = http.send(request, BodyHandlers.ofLines());
 * assertThat(SseLines.nextData(response.body().iterator())).isEqualTo("hello");
 * }</pre>
 *
 * <p>Thread-safety: stateless.
 */
public final class SseLines {

  private SseLines() {}

  /** Returns the value of the next {@code data:} line; fails the test if the stream ends first. */
  public static String nextData(Iterator<String> lines) {
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.startsWith("data: ")) {
        return line.substring(6);
      }
    }
    throw new AssertionError("stream ended before the next data line");
  }
}
