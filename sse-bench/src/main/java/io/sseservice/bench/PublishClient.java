package io.sseservice.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Publishes through a load server's {@code POST /publish} route ({@link PublishRoutes}) over one
 * keep-alive connection, one request at a time, as an application's clients call its publish
 * endpoint: each request's {@link Commands} line runs in the server's own HTTP handler.
 *
 * <p>Thread-safety: not thread-safe; one thread uses it.
 */
final class PublishClient implements AutoCloseable {

  private final Socket socket = new Socket();
  private final InputStream in;
  private final OutputStream out;

  PublishClient(int port) throws IOException {
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /**
   * Posts {@code command} {@code times} times, each after the answer to the one before, and
   * returns the sum of the handler's own times (their {@code DONE <nanos>} answers).
   */
  long repeat(String command, int times) throws IOException {
    long nanos = 0;
    for (int i = 0; i < times; i++) {
      nanos += LoadTool.nanosOf(post(command));
    }
    return nanos;
  }

  /** Posts one command; returns the answer line, which must start with {@code DONE}. */
  String post(String command) throws IOException {
    byte[] body = command.getBytes(UTF_8);
    out.write(
        ("POST "
                + PublishRoutes.PATH
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.length
                + "\r\n\r\n")
            .getBytes(US_ASCII));
    out.write(body);
    out.flush();
    String status = line();
    int length = -1;
    for (String header = line(); !header.isEmpty(); header = line()) {
      if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
        length = Integer.parseInt(header.substring(15).trim());
      }
    }
    if (!status.contains(" 200") || length < 0) {
      throw new IllegalStateException(
          "publish route answered: " + status + " (length " + length + ")");
    }
    String answer = new String(in.readNBytes(length), UTF_8);
    if (!answer.startsWith("DONE")) {
      throw new IllegalStateException("publish route answered: " + answer);
    }
    return answer;
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("publish connection closed");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
