package io.sseservice.test;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;

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

  /**
   * Reads {@code in} (a raw socket's stream: headers, chunk sizes and all) until {@code marker}
   * has been seen; returns false if the stream ends first.
   */
  public static boolean readUntil(InputStream in, String marker) throws IOException {
    return readThrough(in, marker) != null;
  }

  /**
   * Reads {@code in} (a raw socket's stream) until {@code marker} has been seen and returns all
   * it read, headers and chunk sizes included; returns null if the stream ends first.
   */
  public static @Nullable String readThrough(InputStream in, String marker) throws IOException {
    StringBuilder seen = new StringBuilder();
    byte[] buffer = new byte[4096];
    while (seen.indexOf(marker) < 0) {
      int n = in.read(buffer);
      if (n < 0) {
        return null;
      }
      seen.append(new String(buffer, 0, n, UTF_8));
    }
    return seen.toString();
  }
}
