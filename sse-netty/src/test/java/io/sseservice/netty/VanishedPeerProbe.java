package io.sseservice.netty;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Measures how long {@link NettySseServer} takes to notice a peer that vanished without a FIN or
 * a reset. Run inside a network namespace of its own ({@code unshare -rn}, loopback up): it opens
 * a stream from a raw socket, takes the namespace's loopback down ({@code ip link set lo down}:
 * from then on no packet goes either way, as when a phone loses its network) and prints
 * {@code transport=epoll noticedMillis=3012}, or {@code notNoticedWithinSeconds=N}. Arguments:
 * keep-alive ms, TCP user timeout ms (0: none), {@code epoll} or {@code nio}, seconds to wait.
 */
public final class VanishedPeerProbe {

  private VanishedPeerProbe() {}

  /** Runs the probe; see the class comment. */
  public static void main(String[] args) throws Exception {
    SseService service =
        SseService.builder().keepAliveInterval(Duration.ofMillis(Long.parseLong(args[0]))).build();
    CompletableFuture<Long> gone = new CompletableFuture<>();
    NettySseServer server =
        NettySseServer.builder(service)
            .host("127.0.0.1")
            .port(0)
            .tcpUserTimeout(Duration.ofMillis(Long.parseLong(args[1])))
            .nativeTransport(args[2].equals("epoll"))
            .options(
                request ->
                    ConnectOptions.builder()
                        .onDisconnect((connection, reason) -> gone.complete(System.nanoTime()))
                        .build())
            .start();
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket
          .getOutputStream()
          .write("GET /sse HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(UTF_8));
      readHead(socket.getInputStream());
      int down =
          new ProcessBuilder("ip", "link", "set", "lo", "down").inheritIO().start().waitFor();
      long vanished = System.nanoTime();
      if (down != 0) {
        throw new IllegalStateException("ip link set lo down: exit " + down);
      }
      String transport = "transport=" + server.transport();
      try {
        long noticed = gone.get(Long.parseLong(args[3]), TimeUnit.SECONDS);
        System.out.println(transport + " noticedMillis=" + (noticed - vanished) / 1_000_000);
      } catch (TimeoutException e) {
        System.out.println(transport + " notNoticedWithinSeconds=" + args[3]);
      }
    }
    System.exit(0); // the loopback is down: a graceful close would only wait
  }

  private static void readHead(InputStream in) throws Exception {
    int matched = 0;
    byte[] end = "\r\n\r\n".getBytes(UTF_8);
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        throw new IllegalStateException("the server closed before the stream's head");
      }
      matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
    }
  }
}
