package io.sseservice.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hostile churn: {@code threads} clients connect, wait for the stream's head and reset the
 * connection, in a loop, for {@code seconds}, against a server with the default keep-alive of
 * 20 s. Meanwhile a well-behaved client connects every half second and the tool records how long
 * it waited for its head (a server out of file descriptors accepts nobody). Reports the churn
 * rate, the server's peak open files and connections, the slowest well-behaved connect, and how
 * long the server took after the churn to let go of every connection.
 *
 * <p>Thread-safety: one scenario run at a time, from the tool's main thread.
 */
final class ChurnScenario {

  private static final byte[] HEAD_END = "\r\n\r\n".getBytes(US_ASCII);

  private ChurnScenario() {}

  static Map<String, Double> run(String server, int threads, double seconds) throws Exception {
    return run(server, threads, seconds, Long.MAX_VALUE);
  }

  /**
   * As above, but ends after exactly {@code maxCycles} connects (or {@code seconds}, whichever
   * comes first), and also reports the cycles, the server's peak RSS growth and its open files
   * over the idle server's once it let go of every connection.
   */
  static Map<String, Double> run(String server, int threads, double seconds, long maxCycles)
      throws Exception {
    try (ServerProcess process =
        new ServerProcess(
            server, 1 << 20, "1g", List.of("-D" + LoadServer.KEEP_ALIVE + "=PT20S"))) {
      int baselineFiles = process.openFiles();
      long baselineRss = process.rssKib();
      long peakRss = baselineRss;
      AtomicLong claimed = new AtomicLong();
      AtomicBoolean churning = new AtomicBoolean(true);
      AtomicLong cycles = new AtomicLong();
      AtomicLong failures = new AtomicLong();
      List<Thread> churners = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        Thread churner =
            new Thread(
                () -> {
                  for (long n = 0; churning.get() && claimed.incrementAndGet() <= maxCycles; n++) {
                    if (connectAndReset(process.port, "churn-" + id + "-" + n)) {
                      cycles.incrementAndGet();
                    } else {
                      failures.incrementAndGet();
                    }
                  }
                },
                "churn-" + t);
        churner.setDaemon(true);
        churner.start();
        churners.add(churner);
      }
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      int peakFiles = 0;
      int peakConnections = 0;
      long slowestConnectMillis = 0;
      long nextProbe = start;
      while (System.nanoTime() < end && cycles.get() + failures.get() < maxCycles) {
        peakRss = Math.max(peakRss, process.rssKib());
        peakFiles = Math.max(peakFiles, process.openFiles());
        peakConnections = Math.max(peakConnections, process.connections());
        if (System.nanoTime() >= nextProbe) {
          slowestConnectMillis =
              Math.max(slowestConnectMillis, wellBehavedConnectMillis(process.port));
          nextProbe += 500_000_000L;
        }
        Thread.sleep(50);
      }
      churning.set(false);
      for (Thread churner : churners) {
        churner.join(15_000);
      }
      double churnSeconds = (System.nanoTime() - start) / 1e9;
      long stopped = System.nanoTime();
      double drainSeconds = -1;
      while (System.nanoTime() - stopped < 90_000_000_000L) {
        if (process.connections() == 0) {
          drainSeconds = (System.nanoTime() - stopped) / 1e9;
          break;
        }
        Thread.sleep(50);
      }
      Thread.sleep(500);
      int filesAfter = process.openFiles() - baselineFiles;
      boolean counted = maxCycles != Long.MAX_VALUE; // run by cycle count, not by time
      Map<String, Double> result = LoadTool.result("threads", threads);
      if (counted) {
        result.put("cycles", (double) (cycles.get() + failures.get()));
      }
      result.putAll(
          LoadTool.result(
              "cycles_per_s",
              cycles.get() / churnSeconds,
              "failed_connects",
              failures.get(),
              "peak_open_files",
              peakFiles - baselineFiles,
              "peak_connections",
              peakConnections,
              "slowest_well_behaved_connect_ms",
              slowestConnectMillis,
              "drain_s",
              drainSeconds));
      if (counted) {
        result.putAll(
            LoadTool.result(
                "open_files_after",
                filesAfter,
                "peak_rss_growth_mib",
                (peakRss - baselineRss) / 1024.0));
      }
      return result;
    }
  }

  /** One hostile cycle; false if the server did not answer with a head within 10 s. */
  static boolean connectAndReset(int port, String clientId) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(10_000);
      request(socket, clientId);
      boolean head = readHead(socket.getInputStream());
      socket.setSoLinger(true, 0); // close sends a reset
      return head;
    } catch (IOException e) {
      return false;
    }
  }

  /** Milliseconds a fresh client waited for its stream's head (10,000: it got none). */
  private static long wellBehavedConnectMillis(int port) {
    long start = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(10_000);
      request(socket, "probe-" + start);
      if (!readHead(socket.getInputStream())) {
        return 10_000;
      }
    } catch (IOException e) {
      return 10_000;
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static void request(Socket socket, String clientId) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET /sse?clientId="
                + clientId
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Accept: text/event-stream\r\n\r\n")
            .getBytes(US_ASCII));
    out.flush();
  }

  private static boolean readHead(InputStream in) throws IOException {
    int matched = 0;
    for (int b = in.read(); b >= 0; b = in.read()) {
      matched = b == HEAD_END[matched] ? matched + 1 : (b == HEAD_END[0] ? 1 : 0);
      if (matched == HEAD_END.length) {
        return true;
      }
    }
    return false;
  }
}
