package io.sseservice.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hostile traffic at full scale, each against a fresh server with a well-behaved client beside
 * the attack (a {@link CheckedReader} that must get every event the publisher sends, and fresh
 * connects whose time to the response's head is measured): {@code slowloris} (sockets that send
 * their request headers a byte a second and never finish), {@code never-readers} (streams that
 * never read while a publisher sends) and {@code groups} (clients in distinct groups, in waves, up
 * to a total, and the {@code maxGroups} limit). The churn by cycle count is {@link ChurnScenario}.
 * Each reports what the attack cost the server (peak RSS growth, live heap, open files) and
 * whether it gave everything back (connections, open files over the idle server's afterwards).
 *
 * <p>Thread-safety: one scenario run at a time, from the tool's main thread.
 */
final class HostileScenario {

  /** The scenarios {@code hostile} stands for in LoadTool's {@code --scenarios}. */
  static final String ALL = "churn-cycles,slowloris,never-readers,groups";

  private static final long SECOND = 1_000_000_000L;

  private HostileScenario() {}

  /**
   * {@code n} sockets that send a request line and then one header byte a second, for 45 s (past
   * Netty's 10 s request-read timeout and Jetty's 30 s idle timeout); one the server closes is
   * opened again, as an attacker keeps its count. Meanwhile a publisher sends 100 events a second
   * to a checked reader, and a fresh client connects every half second.
   */
  static Map<String, Double> slowloris(String server, int n) throws Exception {
    try (ServerProcess process = new ServerProcess(server, 1 << 20, "1g")) {
      Thread.sleep(500);
      int baselineFiles = process.openFiles();
      long baselineRss = process.rssKib();
      long baselineHeap = process.liveHeapBytes();
      CheckedReader.Latencies latencies = new CheckedReader.Latencies();
      CheckedReader good = CheckedReader.staying(process.port, "good", latencies).start();
      LoadTool.awaitConnections(process, 1);
      AtomicBoolean attacking = new AtomicBoolean(true);
      Probes probes = new Probes(process.port, attacking).start();
      List<Slow> slow = new ArrayList<>();
      AtomicLong opened = new AtomicLong();
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        slow.add(new Slow(process.port, opened.incrementAndGet()));
      }
      long closedByServer = 0;
      long answered408 = 0;
      long answeredOther = 0;
      long youngestClosedMillis = Long.MAX_VALUE;
      long peakRss = baselineRss;
      int peakFiles = 0;
      long published = 0;
      while (System.nanoTime() - start < 45 * SECOND) {
        long tick = System.nanoTime();
        for (int i = 0; i < slow.size(); i++) {
          Slow s = slow.get(i);
          int status = s.trickle();
          if (status != 0) {
            closedByServer++;
            if (status == 408) {
              answered408++;
            } else if (status > 0) {
              answeredOther++;
            }
            youngestClosedMillis = Math.min(youngestClosedMillis, s.ageMillis());
            s.close();
            slow.set(i, new Slow(process.port, opened.incrementAndGet()));
          }
        }
        peakRss = Math.max(peakRss, process.rssKib());
        peakFiles = Math.max(peakFiles, process.openFiles());
        // the rest of the second: the publisher's 100 events, paced
        long left = SECOND - (System.nanoTime() - tick);
        int events = (int) Math.max(1, left / 10_000_000L);
        process.command("broadcast " + events + " 128 100");
        published += events;
      }
      attacking.set(false);
      probes.join();
      for (Slow s : slow) {
        s.close();
      }
      awaitEvents(good, published);
      int connectionsAfter = awaitConnectionsDown(process, 1);
      long closedAt = System.nanoTime();
      int filesAfter = process.openFiles() - baselineFiles;
      while (filesAfter > 1 && System.nanoTime() - closedAt < 15 * SECOND) { // the reader's
        pause(100);
        filesAfter = process.openFiles() - baselineFiles;
      }
      double filesBackSeconds = (System.nanoTime() - closedAt) / 1e9;
      double heapAfterMib = (process.liveHeapBytes() - baselineHeap) / 1048576.0;
      good.stop();
      return LoadTool.result(
          "slow_sockets",
          n,
          "attack_s",
          45,
          "opened",
          opened.get(),
          "closed_by_server",
          closedByServer,
          "answered_408",
          answered408,
          "answered_other",
          answeredOther,
          "youngest_closed_s",
          youngestClosedMillis == Long.MAX_VALUE ? -1 : youngestClosedMillis / 1000.0,
          "probe_connects",
          probes.count.get(),
          "probes_not_served",
          probes.failed.get(),
          "probe_median_ms",
          probes.median(),
          "probe_slowest_ms",
          probes.slowest.get(),
          "reader_events",
          good.events,
          "reader_lost",
          good.lost + Math.max(0, published - 1 - good.lastSeq),
          "reader_p99_ms",
          latencies.percentileMillis(0.99),
          "peak_rss_growth_mib",
          (peakRss - baselineRss) / 1024.0,
          "peak_open_files",
          peakFiles - baselineFiles,
          "connections_after",
          connectionsAfter,
          "open_files_after",
          filesAfter,
          "open_files_back_s",
          filesBackSeconds,
          "live_heap_growth_mib_after",
          heapAfterMib);
    }
  }

  /**
   * 100 readers ({@link LoadClient}), a checked reader and {@code n} sockets that never read (a
   * 1 KiB receive buffer), all in one group; 20,000 events of 1 KiB, the publisher waiting for
   * capacity before each ({@code awaitCapacity}). Every never-reader must be cut as a slow
   * consumer while the readers get everything.
   */
  static Map<String, Double> neverReaders(String server, int n) throws Exception {
    int readers = 100;
    int events = 20_000;
    List<Socket> stuck = new ArrayList<>();
    try (ServerProcess process = new ServerProcess(server, 1 << 20, "1g");
        LoadClient client = new LoadClient()) {
      Thread.sleep(500);
      int baselineFiles = process.openFiles();
      client.connect(process.port, readers, 0);
      CheckedReader good =
          CheckedReader.staying(process.port, "good", new CheckedReader.Latencies()).start();
      for (int i = 0; i < n; i++) {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(1024);
        socket.connect(new InetSocketAddress("127.0.0.1", process.port), 10_000);
        request(socket, "never-" + i, "");
        stuck.add(socket);
      }
      LoadTool.awaitConnections(process, readers + 1 + n);
      Thread.sleep(500);
      long baselineRss = process.rssKib();
      long baselineHeap = process.liveHeapBytes();
      AtomicLong peakRss = new AtomicLong(baselineRss);
      AtomicBoolean sampling = new AtomicBoolean(true);
      Thread sampler =
          daemon(
              () -> {
                while (sampling.get()) {
                  try {
                    peakRss.accumulateAndGet(process.rssKib(), Math::max);
                  } catch (IOException e) {
                    return; // the process ended
                  }
                  pause(20);
                }
              });
      long start = System.nanoTime();
      process.command("broadcast " + events + " 1024 -2");
      long end = client.awaitEvents((long) readers * events, 180 * SECOND);
      double seconds = ((end < 0 ? System.nanoTime() : end) - start) / 1e9;
      awaitEvents(good, events);
      // every never-reader cut: the connections come down to the readers
      int connections = awaitConnectionsDown(process, readers + 1);
      double allCutSeconds = (System.nanoTime() - start) / 1e9;
      sampling.set(false);
      sampler.join();
      long[] stats = process.stats();
      double heapMib = (process.liveHeapBytes() - baselineHeap) / 1048576.0;
      for (Socket socket : stuck) {
        socket.close();
      }
      Thread.sleep(500);
      return LoadTool.result(
          "never_readers",
          n,
          "readers",
          readers + 1,
          "events",
          events,
          "reader_events_per_s",
          client.events() / seconds,
          "readers_missing",
          (long) readers * events - client.events(),
          "checked_reader_lost",
          good.lost + Math.max(0, events - 1 - good.lastSeq),
          "slow_consumer_cuts",
          stats[2],
          "connections_left",
          connections,
          "all_cut_s",
          allCutSeconds,
          "peak_rss_growth_mib",
          (peakRss.get() - baselineRss) / 1024.0,
          "live_heap_growth_mib_after",
          heapMib,
          "open_files_after_over_readers",
          process.openFiles() - baselineFiles - (readers + 1));
    } finally {
      for (Socket socket : stuck) {
        socket.close();
      }
    }
  }

  /**
   * {@code total} clients, each in a group of its own, in waves of 10,000 at once (a process here
   * may open 20,000 files, so 100,000 cannot be open together): each wave connects, is counted
   * and leaves, and the next one comes. A checked reader in the default group gets 100 events
   * after each wave, and a fresh client's connect is timed at each wave's peak. Before the waves,
   * one wave in a single group gives the live heap per connection without a group of its own;
   * afterwards a server with {@code maxGroups} 1,000 shows where the limit bites.
   */
  static Map<String, Double> groups(String server, int total) throws Exception {
    int wave = Math.min(10_000, total);
    Map<String, Double> result;
    try (ServerProcess process =
        new ServerProcess(server, 1 << 20, "1g", List.of("-D" + LoadServer.KEEP_ALIVE + "=PT5S"))) {
      Thread.sleep(500);
      int baselineFiles = process.openFiles();
      long baselineHeap = process.liveHeapBytes();
      long baselineRss = process.rssKib();
      CheckedReader good =
          CheckedReader.staying(process.port, "good", new CheckedReader.Latencies()).start();
      LoadTool.awaitConnections(process, 1);
      long oneGroupHeap;
      List<SocketChannel> open = connectWave(process.port, wave, "one", false);
      LoadTool.awaitConnections(process, wave + 1);
      oneGroupHeap = process.liveHeapBytes() - baselineHeap;
      closeAll(open);
      awaitConnectionsDown(process, 1);
      long published = 0;
      long peakGroups = 0;
      long peakHeap = 0;
      long peakRss = baselineRss;
      long slowestProbe = 0;
      long refused = 0;
      long start = System.nanoTime();
      for (int first = 0; first < total; first += wave) {
        int size = Math.min(wave, total - first);
        open = connectWave(process.port, size, "g" + first + "-", true);
        refused += size - open.size();
        LoadTool.awaitConnections(process, open.size() + 1);
        long[] stats = process.stats();
        peakGroups = Math.max(peakGroups, stats[1]);
        peakHeap = Math.max(peakHeap, process.liveHeapBytes() - baselineHeap);
        peakRss = Math.max(peakRss, process.rssKib());
        slowestProbe = Math.max(slowestProbe, probeMillis(process.port));
        process.command("broadcast 100 128 0");
        published += 100;
        closeAll(open);
        awaitConnectionsDown(process, 1);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      awaitEvents(good, published);
      Thread.sleep(500);
      long[] after = process.stats();
      double heapPerGroupConnection = peakHeap / (double) wave;
      result =
          LoadTool.result(
              "groups_total",
              total,
              "wave",
              wave,
              "waves_s",
              seconds,
              "refused",
              refused,
              "peak_groups",
              peakGroups,
              "live_heap_kib_per_connection_one_group",
              oneGroupHeap / 1024.0 / wave,
              "live_heap_kib_per_connection_own_group",
              heapPerGroupConnection / 1024.0,
              "peak_rss_growth_mib",
              (peakRss - baselineRss) / 1024.0,
              "probe_slowest_ms",
              slowestProbe,
              "reader_lost",
              good.lost + Math.max(0, published - 1 - good.lastSeq),
              "groups_after",
              after[1],
              "connections_after",
              after[0],
              "open_files_after",
              process.openFiles() - baselineFiles - 1,
              "live_heap_growth_mib_after",
              (process.liveHeapBytes() - baselineHeap) / 1048576.0);
      good.stop();
    }
    result.putAll(groupLimit(server, 1_000));
    return result;
  }

  /** A server with {@code maxGroups}: the first connect past it, its status and its message. */
  private static Map<String, Double> groupLimit(String server, int max) throws Exception {
    try (ServerProcess process =
        new ServerProcess(
            server, 1 << 20, "1g", List.of("-D" + LoadServer.MAX_GROUPS + "=" + max))) {
      List<SocketChannel> open = connectWave(process.port, max, "limit-", true);
      try (Socket over = new Socket()) {
        over.connect(new InetSocketAddress("127.0.0.1", process.port), 10_000);
        over.setSoTimeout(3_000);
        request(over, "over", "&group=over");
        String answer = readUntilQuiet(over.getInputStream());
        System.err.println("groups: connect past maxGroups(" + max + ") answered:\n" + answer);
        int status = answer.startsWith("HTTP/1.1 ") ? Integer.parseInt(answer.substring(9, 12)) : 0;
        int accepted = open.size();
        closeAll(open);
        return LoadTool.result(
            "limit_max_groups", max, "limit_accepted", accepted, "limit_status", status);
      }
    }
  }

  /**
   * Opens {@code n} streams, in batches of 256 whose heads are read before the next batch (so the
   * accept queue stays short), and returns those answered 200; they are never read again.
   */
  private static List<SocketChannel> connectWave(int port, int n, String prefix, boolean ownGroup)
      throws IOException {
    List<SocketChannel> open = new ArrayList<>();
    for (int first = 0; first < n; first += 256) {
      List<SocketChannel> batch = new ArrayList<>();
      for (int i = first; i < Math.min(n, first + 256); i++) {
        SocketChannel channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.connect(new InetSocketAddress("127.0.0.1", port));
        String id = prefix + i;
        channel.write(
            ByteBuffer.wrap(
                ("GET /sse?clientId="
                        + id
                        + (ownGroup ? "&group=" + id : "")
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(US_ASCII)));
        batch.add(channel);
      }
      for (SocketChannel channel : batch) {
        channel.socket().setSoTimeout(30_000);
        if (headStatus(channel.socket().getInputStream()) == 200) {
          open.add(channel);
        } else {
          channel.close();
        }
      }
    }
    return open;
  }

  /** What the peer sends until it closes or is quiet for the socket's timeout. */
  private static String readUntilQuiet(InputStream in) throws IOException {
    StringBuilder text = new StringBuilder();
    try {
      for (int b = in.read(); b >= 0 && text.length() < 4096; b = in.read()) {
        text.append((char) b);
      }
    } catch (java.net.SocketTimeoutException e) {
      // quiet: the answer is complete (a keep-alive connection stays open)
    }
    return text.toString();
  }

  private static void closeAll(List<SocketChannel> channels) throws IOException {
    for (SocketChannel channel : channels) {
      channel.close();
    }
  }

  /** The status of a response head, read up to its blank line; 0 if the connection ended. */
  private static int headStatus(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int matched = 0;
    for (int b = in.read(); b >= 0; b = in.read()) {
      head.append((char) b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) {
        return head.length() > 12 && head.toString().startsWith("HTTP/1.1 ")
            ? Integer.parseInt(head.substring(9, 12))
            : 0;
      }
    }
    return 0;
  }

  private static void request(Socket socket, String clientId, String query) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET /sse?clientId="
                + clientId
                + query
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Accept: text/event-stream\r\n\r\n")
            .getBytes(US_ASCII));
    out.flush();
  }

  /** Milliseconds a fresh client waited for its stream's head; 10,000 if it got none. */
  static long probeMillis(int port) {
    long start = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(10_000);
      request(socket, "probe-" + start, "");
      if (headStatus(socket.getInputStream()) != 200) {
        return 10_000;
      }
    } catch (IOException e) {
      return 10_000;
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** Waits up to 30 s for the reader to have every event up to {@code published}. */
  private static void awaitEvents(CheckedReader reader, long published) {
    long deadline = System.nanoTime() + 30 * SECOND;
    while (reader.lastSeq < published - 1 && System.nanoTime() < deadline) {
      pause(20);
    }
  }

  /** Waits up to 60 s for the server's connections to come down to {@code n}; returns them. */
  private static int awaitConnectionsDown(ServerProcess process, int n) throws IOException {
    long deadline = System.nanoTime() + 60 * SECOND;
    int connections = process.connections();
    while (connections > n && System.nanoTime() < deadline) {
      pause(50);
      connections = process.connections();
    }
    return connections;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis); // pacing a load generator, not synchronization
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(Runnable body) {
    Thread thread = new Thread(body, "hostile-sampler");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * A slowloris socket: a request line at once, then one byte a second of a header line that
   * never ends. {@link #trickle} sends the next byte and reports whether the server gave up.
   */
  private static final class Slow {
    private final SocketChannel channel;
    private final long openedAt = System.nanoTime();
    private final ByteBuffer one = ByteBuffer.allocate(1);
    private final ByteBuffer answer = ByteBuffer.allocate(64);

    Slow(int port, long id) throws IOException {
      channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
      channel.write(
          ByteBuffer.wrap(
              ("GET /sse?clientId=slow-" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                  .getBytes(US_ASCII)));
      channel.configureBlocking(false);
    }

    /** 0 while the server waits; the status it answered; -1 if it closed without one. */
    int trickle() {
      try {
        int read = channel.read(answer);
        if (read < 0) {
          return statusOrClosed();
        }
        if (answer.position() >= 12) {
          return statusOrClosed();
        }
        one.clear();
        one.put((byte) 'a').flip();
        channel.write(one);
        return 0;
      } catch (IOException e) {
        return statusOrClosed();
      }
    }

    private int statusOrClosed() {
      byte[] bytes = new byte[answer.position()];
      answer.flip();
      answer.get(bytes);
      String text = new String(bytes, US_ASCII);
      return text.startsWith("HTTP/1.1 ") && text.length() >= 12
          ? Integer.parseInt(text.substring(9, 12))
          : -1;
    }

    long ageMillis() {
      return (System.nanoTime() - openedAt) / 1_000_000;
    }

    void close() throws IOException {
      channel.close();
    }
  }

  /** Fresh clients connecting every half second while an attack lasts. */
  private static final class Probes {
    private final int port;
    private final AtomicBoolean attacking;
    private final Thread thread;
    private final List<Long> millis = new ArrayList<>();
    final AtomicLong count = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong slowest = new AtomicLong();

    Probes(int port, AtomicBoolean attacking) {
      this.port = port;
      this.attacking = attacking;
      this.thread = new Thread(this::run, "hostile-probes");
      thread.setDaemon(true);
    }

    Probes start() {
      thread.start();
      return this;
    }

    private void run() {
      while (attacking.get()) {
        long ms = probeMillis(port);
        synchronized (millis) {
          millis.add(ms);
        }
        count.incrementAndGet();
        if (ms >= 10_000) {
          failed.incrementAndGet();
        }
        slowest.accumulateAndGet(ms, Math::max);
        pause(500);
      }
    }

    void join() throws InterruptedException {
      thread.join(15_000);
    }

    double median() {
      synchronized (millis) {
        if (millis.isEmpty()) {
          return Double.NaN;
        }
        List<Long> sorted = new ArrayList<>(millis);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
      }
    }
  }
}
