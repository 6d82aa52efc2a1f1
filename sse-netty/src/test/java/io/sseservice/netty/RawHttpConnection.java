package io.sseservice.netty;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection over a plain socket, for tests that must see that several requests use
 * the same connection, and whether the server closed it: {@code java.net.http} pools connections
 * out of sight. Bodies are framed by {@code Content-Length} only.
 */
final class RawHttpConnection implements AutoCloseable {

  /** A response: its status code, headers (lower-case names) and body. */
  record Response(int status, Map<String, String> headers, String body) {}

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttpConnection(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000); // a missing response fails the test instead of hanging it
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** Sends {@code method target} with {@code body} and the extra header lines; reads the answer. */
  Response exchange(String method, String target, String body, String... headerLines)
      throws IOException {
    send(method, target, body, headerLines);
    return read(!method.equals("HEAD"));
  }

  /** Sends {@code method target} with {@code body} and the extra header lines. */
  void send(String method, String target, String body, String... headerLines) throws IOException {
    byte[] bytes = body.getBytes(UTF_8);
    StringBuilder head =
        new StringBuilder(method + " " + target + " HTTP/1.1\r\n")
            .append("Host: localhost\r\nContent-Length: ")
            .append(bytes.length)
            .append("\r\n");
    for (String line : headerLines) {
      head.append(line).append("\r\n");
    }
    out.write(head.append("\r\n").toString().getBytes(UTF_8));
    out.write(bytes);
    out.flush();
  }

  /** Sends {@code text} as it is (a request of any shape, or part of one). */
  void sendRaw(String text) throws IOException {
    out.write(text.getBytes(UTF_8));
    out.flush();
  }

  /** Half-closes: the server reads the end of the stream (a FIN) after what was sent. */
  void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** Reads the next response (one with a body: not to a HEAD). */
  Response read() throws IOException {
    return read(true);
  }

  private Response read(boolean hasBody) throws IOException {
    String statusLine = line();
    Map<String, String> headers = new LinkedHashMap<>();
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      headers.put(
          header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          header.substring(colon + 1).trim());
    }
    int length = hasBody ? Integer.parseInt(headers.getOrDefault("content-length", "0")) : 0;
    return new Response(
        Integer.parseInt(statusLine.split(" ")[1]),
        headers,
        new String(in.readNBytes(length), UTF_8));
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the server closed the connection");
      }
      line.write(b);
    }
    return line.toString(UTF_8).stripTrailing();
  }

  /** Reads the status line and headers of a response, leaving its body unread (a stream). */
  Response readHead() throws IOException {
    return read(false);
  }

  /** Reads everything the server sends until it closes (waits up to the socket's timeout). */
  String readToEnd() throws IOException {
    return new String(in.readAllBytes(), UTF_8);
  }

  /** Whether the server has closed the connection (waits up to the socket's timeout). */
  boolean closedByServer() throws IOException {
    return in.read() < 0;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
