package io.sseservice.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak: one server process, for {@code --minutes} (default 2), under everything at once, at
 * a moderate steady rate:
 *
 * <ul>
 *   <li>a publisher broadcasting {@code --rate} events of 128 bytes a second (default 100) to
 *       1,000 streams that read everything ({@link LoadClient}), with history on ({@code
 *       maxEvents}: five seconds of events);
 *   <li>20 {@link CheckedReader}s that leave after 4–12 s and come back with {@code
 *       Last-Event-ID} after up to 2 s (well within the history), every fourth time after 8 s
 *       (past it: a reset is due), and must get every event exactly once, in order, or a reset;
 *   <li>a churner that connects, reads the head and resets, 20 times a second;
 *   <li>a client that never reads, arriving every 30 s (closed by the tool after 300 s), which
 *       the service must cut as a slow consumer (its {@code maxQueuedBytes} here: 256 KiB).
 * </ul>
 *
 * <p>A reset after a short absence is not wrong in itself: a reader that was behind when it left
 * may have missed more than the history holds; {@code resets_within_history} counts the resets
 * whose gap (the id the reader sent to the id the reset names) the history held, which should be
 * none.
 *
 * <p>Every 10 s it samples the server's live heap (after full collections: the {@code memory}
 * command, which pauses the publisher for the collections), RSS, open files and connections, the
 * slow-consumer cuts and the window's delivery latency (the checked readers' events), and writes
 * the series as JSONL and CSV, and a plot of heap and RSS as SVG, to {@value #OUT} (default {@code
 * docs/bench/<date>-soak-<server>}). Returns the totals: events lost within the guarantee (a gap
 * with no reset), duplicates, resets (and those after a short absence, which should be none),
 * the fan-out streams' missing events, the cuts, and the first, last and peak memory.
 *
 * <p>Thread-safety: one run at a time, from the tool's main thread.
 */
final class SoakScenario {

  /** The system property with the soak's length in minutes (LoadTool's {@code --minutes}). */
  static final String MINUTES = "bench.minutes";

  /** The system property with the publisher's events per second (LoadTool's {@code --rate}). */
  static final String RATE = "bench.rate";

  /** The system property with the output files' path without extension (LoadTool's {@code --out}). */
  static final String OUT = "bench.out";

  private static final int STREAMS = 1_000;
  private static final int READERS = 20;
  private static final long SAMPLE_NANOS = 10_000_000_000L;

  private SoakScenario() {}

  static Map<String, Double> run(String server) throws Exception {
    double minutes = Double.parseDouble(System.getProperty(MINUTES, "2"));
    int rate = Integer.getInteger(RATE, 100);
    int historyEvents = 5 * rate; // five seconds of events
    Path out =
        Path.of(
            System.getProperty(
                OUT, "docs/bench/" + LocalDate.now(ZoneOffset.UTC) + "-soak-" + server));
    List<Map<String, Double>> samples = new ArrayList<>();
    CheckedReader.Latencies all = new CheckedReader.Latencies();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong churnCycles = new AtomicLong();
    AtomicLong neverReaders = new AtomicLong();
    List<CheckedReader> readers = new ArrayList<>();
    try (ServerProcess process =
            new ServerProcess(
                server,
                256 * 1024,
                "512m",
                List.of(
                    "-D" + LoadServer.KEEP_ALIVE + "=PT15S",
                    "-D" + BenchService.HISTORY + "=" + historyEvents));
        LoadClient fanout = new LoadClient()) {
      int baselineFiles = process.openFiles();
      fanout.connect(process.port, STREAMS, 0);
      Latencies window = new Latencies(all);
      for (int i = 0; i < READERS; i++) {
        CheckedReader reader = new CheckedReader(process.port, "r" + i, window, true, 2_000, 8_000);
        reader.historyEvents = historyEvents;
        readers.add(reader.start());
      }
      Thread churner = daemon("soak-churn", () -> churn(process.port, running, churnCycles));
      Thread stuck = daemon("soak-never", () -> neverReaders(process.port, running, neverReaders));
      long start = System.nanoTime();
      long end = start + (long) (minutes * 60e9);
      long nextSample = start;
      long published = 0;
      while (System.nanoTime() < end) {
        if (System.nanoTime() >= nextSample) {
          samples.add(sample(process, start, published, fanout, readers, window, churnCycles));
          System.err.println("soak " + json(samples.get(samples.size() - 1)));
          nextSample += SAMPLE_NANOS;
        }
        process.command("broadcast " + rate + " 128 " + rate); // one second's worth
        published += rate;
      }
      double soakMinutes = (System.nanoTime() - start) / 60e9;
      double soakRate = published / (soakMinutes * 60);
      running.set(false);
      churner.join(15_000);
      stuck.join(15_000);
      for (CheckedReader reader : readers) {
        reader.catchUp();
      }
      long deadline = System.nanoTime() + 60_000_000_000L;
      long last = published - 1;
      while (System.nanoTime() < deadline
          && (fanout.events() < (long) STREAMS * published || !caughtUp(readers, last))) {
        Thread.sleep(50);
      }
      samples.add(sample(process, start, published, fanout, readers, window, churnCycles));
      for (CheckedReader reader : readers) {
        reader.stop();
        System.err.println("soak: reader " + reader + " (last published " + last + ")");
      }
      long[] stats = process.stats();
      write(out, samples, server, minutes);
      Map<String, Double> first = samples.get(Math.min(6, samples.size() - 1)); // after a minute
      Map<String, Double> lastSample = samples.get(samples.size() - 1);
      long lost = 0;
      long duplicates = 0;
      long resets = 0;
      long shortResets = 0;
      long undueResets = 0;
      long longAbsences = 0;
      long connects = 0;
      long serverClosed = 0;
      long behind = 0;
      for (CheckedReader r : readers) {
        lost += r.lost;
        duplicates += r.duplicates;
        resets += r.resets;
        shortResets += r.resetsAfterShortAbsence;
        undueResets += r.resetsWithinHistory;
        longAbsences += r.longAbsences;
        connects += r.connects;
        serverClosed += r.serverClosed;
        // what never came, even after catching up, unless a reset said so (then nothing came
        // after it: the publisher had stopped)
        behind += r.resync ? 0 : Math.max(0, last - r.lastSeq);
      }
      return LoadTool.result(
          "minutes",
          soakMinutes,
          "rate_per_s",
          soakRate,
          "published",
          published,
          "fanout_streams",
          STREAMS,
          "fanout_missing",
          (long) STREAMS * published - fanout.events(),
          "fanout_out_of_order",
          fanout.outOfOrder(),
          "readers",
          READERS,
          "reader_connects",
          connects,
          "lost_within_guarantee",
          lost + behind,
          "duplicates",
          duplicates,
          "resets",
          resets,
          "long_absences",
          longAbsences,
          "resets_after_short_absence",
          shortResets,
          "resets_within_history",
          undueResets,
          "readers_closed_by_server",
          serverClosed,
          "never_readers",
          neverReaders.get(),
          "slow_consumer_cuts",
          stats[2],
          "churn_cycles",
          churnCycles.get(),
          "p50_ms",
          all.percentileMillis(0.50),
          "p99_ms",
          all.percentileMillis(0.99),
          "p999_ms",
          all.percentileMillis(0.999),
          "live_heap_mb_at_1min",
          first.get("live_heap_mb"),
          "live_heap_mb_end",
          lastSample.get("live_heap_mb"),
          "live_heap_mb_max",
          max(samples, "live_heap_mb"),
          "rss_mb_at_1min",
          first.get("rss_mb"),
          "rss_mb_end",
          lastSample.get("rss_mb"),
          "rss_mb_max",
          max(samples, "rss_mb"),
          "open_files_over_idle_end",
          lastSample.get("open_files") - baselineFiles);
    } finally {
      running.set(false);
      for (CheckedReader reader : readers) {
        reader.stop();
      }
    }
  }

  private static boolean caughtUp(List<CheckedReader> readers, long last) {
    for (CheckedReader reader : readers) {
      if (reader.lastSeq < last && !reader.resync) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, Double> sample(
      ServerProcess process,
      long start,
      long published,
      LoadClient fanout,
      List<CheckedReader> readers,
      Latencies window,
      AtomicLong churnCycles)
      throws IOException {
    long[] stats = process.stats();
    long lost = 0;
    long resets = 0;
    for (CheckedReader r : readers) {
      lost += r.lost;
      resets += r.resets;
    }
    CheckedReader.Latencies latencies = window.next();
    return LoadTool.result(
        "minute",
        (System.nanoTime() - start) / 60e9,
        "live_heap_mb",
        process.liveHeapBytes() / 1048576.0,
        "rss_mb",
        process.rssKib() / 1024.0,
        "open_files",
        process.openFiles(),
        "connections",
        stats[0],
        "published",
        published,
        "fanout_events",
        fanout.events(),
        "slow_consumer_cuts",
        stats[2],
        "history_kib",
        stats[4] / 1024.0,
        "churn_cycles",
        churnCycles.get(),
        "reader_lost",
        lost,
        "reader_resets",
        resets,
        "p50_ms",
        latencies.percentileMillis(0.50),
        "p99_ms",
        latencies.percentileMillis(0.99));
  }

  /** Connect, read the head, reset: 20 a second until the soak ends. */
  private static void churn(int port, AtomicBoolean running, AtomicLong cycles) {
    for (long n = 0; running.get(); n++) {
      if (ChurnScenario.connectAndReset(port, "churn-" + n)) {
        cycles.incrementAndGet();
      }
      pause(50);
    }
  }

  /** A socket that never reads every 30 s, each closed by the tool 300 s later. */
  private static void neverReaders(int port, AtomicBoolean running, AtomicLong opened) {
    Deque<Socket> open = new ArrayDeque<>();
    Deque<Long> openedAt = new ArrayDeque<>();
    long next = System.nanoTime() + 5_000_000_000L;
    try {
      while (running.get()) {
        long now = System.nanoTime();
        if (now >= next) {
          Socket socket = new Socket();
          socket.setReceiveBufferSize(1024);
          socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
          OutputStream out = socket.getOutputStream();
          out.write(
              ("GET /sse?clientId=never-"
                      + opened.incrementAndGet()
                      + " HTTP/1.1\r\n"
                      + "Host: 127.0.0.1\r\n\r\n")
                  .getBytes(US_ASCII));
          out.flush();
          open.add(socket);
          openedAt.add(now);
          next += 30_000_000_000L;
        }
        while (!openedAt.isEmpty() && now - openedAt.peek() > 300_000_000_000L) {
          openedAt.poll();
          open.poll().close();
        }
        pause(200);
      }
    } catch (IOException e) {
      System.err.println("soak: a never-reader could not connect: " + e);
    } finally {
      for (Socket socket : open) {
        try {
          socket.close();
        } catch (IOException e) {
          // closing: nothing to do
        }
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis); // pacing a load generator, not synchronization
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static double max(List<Map<String, Double>> samples, String key) {
    return samples.stream().mapToDouble(s -> s.get(key)).max().orElse(Double.NaN);
  }

  private static void write(Path out, List<Map<String, Double>> samples, String server, double min)
      throws IOException {
    Path dir = out.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    StringBuilder jsonl = new StringBuilder();
    StringBuilder csv = new StringBuilder(String.join(",", samples.get(0).keySet())).append('\n');
    for (Map<String, Double> s : samples) {
      jsonl.append(json(s)).append('\n');
      List<String> values = new ArrayList<>();
      s.values().forEach(v -> values.add(format(v)));
      csv.append(String.join(",", values)).append('\n');
    }
    Files.writeString(Path.of(out + ".jsonl"), jsonl, UTF_8);
    Files.writeString(Path.of(out + ".csv"), csv, UTF_8);
    double[] minute = column(samples, "minute");
    new SvgPlot("Soak, " + server + ", " + format(min) + " min: server memory", "minutes", "MB")
        .series("RSS", minute, column(samples, "rss_mb"))
        .series("live heap (after GC)", minute, column(samples, "live_heap_mb"))
        .write(Path.of(out + "-memory.svg"));
    new SvgPlot(
            "Soak, " + server + ", " + format(min) + " min: delivery latency per 10 s",
            "minutes",
            "ms")
        .series("p99", minute, column(samples, "p99_ms"))
        .series("p50", minute, column(samples, "p50_ms"))
        .write(Path.of(out + "-latency.svg"));
  }

  private static double[] column(List<Map<String, Double>> samples, String key) {
    return samples.stream().mapToDouble(s -> zeroIfNaN(s.get(key))).toArray();
  }

  private static double zeroIfNaN(double value) {
    return Double.isNaN(value) ? 0 : value;
  }

  private static String json(Map<String, Double> sample) {
    StringBuilder json = new StringBuilder("{");
    for (Map.Entry<String, Double> e : sample.entrySet()) {
      json.append(json.length() == 1 ? "" : ",")
          .append('"')
          .append(e.getKey())
          .append("\":")
          .append(Double.isNaN(e.getValue()) ? "null" : format(e.getValue()));
    }
    return json.append('}').toString();
  }

  private static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.3f", value);
  }

  /**
   * The checked readers' latencies: into the whole run's and into the current window's, which
   * {@link #next} hands over and starts anew.
   *
   * <p>Thread-safety: recorded from the readers' threads; {@link #next} from the main thread (a
   * latency recorded while the window changes goes into either).
   */
  static final class Latencies extends CheckedReader.Latencies {
    private final CheckedReader.Latencies all;
    private volatile CheckedReader.Latencies current = new CheckedReader.Latencies();

    Latencies(CheckedReader.Latencies all) {
      this.all = all;
    }

    @Override
    void record(long nanos) {
      all.record(nanos);
      current.record(nanos);
    }

    CheckedReader.Latencies next() {
      CheckedReader.Latencies done = current;
      current = new CheckedReader.Latencies();
      return done;
    }
  }
}
