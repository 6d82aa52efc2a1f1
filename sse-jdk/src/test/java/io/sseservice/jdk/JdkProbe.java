package io.sseservice.jdk;

import com.sun.net.httpserver.HttpServer;
import io.sseservice.SseService;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * The hand probe behind the JDK figures in docs/RELIABILITY.md: hostile clients on raw loopback
 * sockets against an {@code HttpServer} with {@code JdkSse.handler(service)}. Not a test; run
 * it from the test classes (see that page). Modes: {@code head}, {@code slow <executorThreads>
 * <sockets>} (0 threads: no executor), {@code churn <connections>} (needs {@code --add-opens
 * jdk.httpserver/sun.net.httpserver=ALL-UNNAMED}), {@code stuck <stuck> <healthy> <events>}.
 * Thread-safety: a single-threaded main.
 */
public final class JdkProbe {

  private static final byte[] GET =
      "GET /sse HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final SseService service;
  private final HttpServer server;
  private final int port;

  private JdkProbe(Duration keepAlive, int threads) throws IOException {
    service = SseService.builder().keepAliveInterval(keepAlive).build();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    if (threads > 0) {
      server.setExecutor(Executors.newFixedThreadPool(threads));
    }
    server.createContext("/sse", JdkSse.handler(service));
    server.start();
    port = server.getAddress().getPort();
  }

  /** Runs one mode, prints its figures and exits. */
  public static void main(String[] args) throws Exception {
    int a1 = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    int a2 = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    System.out.println("java " + Runtime.version());
    switch (args[0]) {
      case "head" -> new JdkProbe(Duration.ofSeconds(30), 0).head();
      case "slow" -> new JdkProbe(Duration.ofSeconds(20), a1).slow(a2);
      case "churn" -> new JdkProbe(Duration.ofMillis(200), 0).churn(a1);
      case "stuck" -> new JdkProbe(Duration.ZERO, 0).stuck(a1, a2, Integer.parseInt(args[3]));
      default -> throw new IllegalArgumentException("mode: " + args[0]);
    }
    if (Boolean.getBoolean("hold")) {
      System.out.println(
          "holding for a heap histogram: jmap -histo:live " + ProcessHandle.current().pid());
      Thread.sleep(Long.MAX_VALUE);
    }
    System.exit(0);
  }

  private Socket open(int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    socket.getOutputStream().write(GET);
    return socket;
  }

  private static boolean readHead(Socket socket, int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    InputStream in = socket.getInputStream();
    int matched = 0;
    try {
      for (int b; (b = in.read()) != -1; ) {
        matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
        if (matched == 4) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    }
    return false;
  }

  /** Milliseconds until a new client has its head, or -1 if not within {@code timeout}. */
  private long headMillis(int timeoutMillis) throws IOException {
    long start = System.nanoTime();
    try (Socket socket = open(0)) {
      return readHead(socket, timeoutMillis) ? (System.nanoTime() - start) / 1_000_000 : -1;
    }
  }

  private void head() throws IOException {
    System.out.println("head of a quiet stream after ms (-1: none in 10 s): " + headMillis(10_000));
  }

  private void slow(int sockets) throws Exception {
    List<Socket> slow = new ArrayList<>();
    for (int i = 0; i < sockets; i++) {
      Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
      socket.getOutputStream().write("GET /sse HT".getBytes(StandardCharsets.US_ASCII));
      slow.add(socket);
    }
    Thread drip =
        new Thread(
            () -> {
              try {
                while (true) {
                  Thread.sleep(1000); // the attack's pace: one byte a second
                  for (Socket socket : slow) {
                    socket.getOutputStream().write('T');
                  }
                }
              } catch (InterruptedException | IOException e) {
                // the probe ends
              }
            });
    drip.setDaemon(true);
    drip.start();
    int wait = Integer.getInteger("wait", 5_000);
    for (int i = 0; i < 3; i++) {
      System.out.println(
          sockets
              + " slow sockets: a new client's head after ms (-1: none in "
              + wait
              + " ms): "
              + headMillis(wait));
    }
  }

  private void churn(int connections) throws Exception {
    for (int i = 0; i < connections; i++) {
      try (Socket socket = open(0)) {
        readHead(socket, 5_000);
        socket.setSoLinger(true, 0); // reset
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (service.stats().connections() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100); // a probe, not a test: poll until the keep-alive found them all
    }
    System.out.println(
        connections
            + " churned; service connections: "
            + service.stats().connections()
            + "; server: "
            + serverSets());
  }

  private String serverSets() throws ReflectiveOperationException {
    var field = server.getClass().getDeclaredField("server");
    field.setAccessible(true);
    Object impl = field.get(server);
    StringBuilder sets = new StringBuilder();
    for (String name : List.of("allConnections", "rspConnections")) {
      var set = impl.getClass().getDeclaredField(name);
      set.setAccessible(true);
      sets.append(name).append('=').append(((Set<?>) set.get(impl)).size()).append(' ');
    }
    return sets.toString();
  }

  private void stuck(int stuck, int healthy, int events) throws Exception {
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < stuck; i++) {
      sockets.add(open(1024)); // never read
    }
    List<int[]> counts = new ArrayList<>();
    for (int i = 0; i < healthy; i++) {
      Socket socket = open(0);
      readHead(socket, 5_000);
      int[] count = new int[1];
      counts.add(count);
      Thread reader = new Thread(() -> countEvents(socket, events, count));
      reader.setDaemon(true);
      reader.start();
    }
    while (service.stats().connections() < stuck + healthy) {
      Thread.sleep(10);
    }
    long start = System.nanoTime();
    String payload = "x".repeat(1024);
    int sent = 0;
    boolean keptUp = true;
    while (sent < events && keptUp) {
      for (int i = 0; i < 50; i++) {
        service.sendToAll(sent++ + ":" + payload);
      }
      // paced by the healthy readers, so only a writer that never comes can hold them back
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      int target = sent;
      while (counts.stream().anyMatch(c -> c[0] < target) && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      keptUp = counts.stream().allMatch(c -> c[0] >= target);
    }
    long done = counts.stream().filter(c -> c[0] == events).count();
    System.out.println(
        stuck
            + " stuck, "
            + healthy
            + " healthy, "
            + events
            + " events: "
            + done
            + " healthy got all ("
            + sent
            + " sent), after ms: "
            + (System.nanoTime() - start) / 1_000_000
            + "; connections left: "
            + service.stats().connections());
  }

  private static void countEvents(Socket socket, int events, int[] seen) {
    try {
      socket.setSoTimeout(0);
      InputStream in = socket.getInputStream();
      int last = 0;
      for (int b; seen[0] < events && (b = in.read()) != -1; last = b) {
        if (b == '\n' && last == '\n') {
          seen[0]++; // read by the pacing loop: a probe's racy counter, good enough to print
        }
      }
    } catch (IOException e) {
      // cut by the server
    }
  }
}
