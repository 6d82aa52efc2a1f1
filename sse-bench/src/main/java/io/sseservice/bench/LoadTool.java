package io.sseservice.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The loopback load tool. For each scenario and server (adapters and the raw ceiling), runs a
 * fresh server JVM and this client, repeats, and prints one JSON line with every run and the
 * medians. Usage:
 * {@code LoadTool [--servers raw,netty,netty-app,jetty,jdk,vertx,webflux,spring] [--scenarios connect,fanout,fanout-handler,fanout-handler-each,latency,unicast,unicast-handler,unicast-handler-each,slow,slow-unpaced,slow-await,churn,reconnect,fanout-g10,fanout-g100]
 * [--runs 3] [--scale 1.0]} ({@code --scale} multiplies connection and event counts). The
 * hostile traffic at full scale: {@code churn-cycles} ({@code --cycles}, default 10,000),
 * {@code slowloris}, {@code never-readers}, {@code groups}, or {@code hostile} for all four
 * ({@link HostileScenario}); the soak: {@code soak} with {@code --minutes} and {@code --rate}
 * ({@link SoakScenario}). The
 * scenarios {@code cluster-latency}, {@code cluster-fanout}, {@code cluster-unicast} and
 * {@code cluster-throughput} run
 * two server processes as nodes of one cluster on a real {@code redis-server} (see
 * {@link ClusterScenarios}). The {@code -handler} scenarios publish from the server's own
 * {@code POST /publish} route instead of a dedicated thread ({@link Publisher}).
 */
public final class LoadTool {

  private LoadTool() {}

  /** Runs the scenarios and prints one JSON line per scenario and server. */
  public static void main(String[] args) throws Exception {
    Map<String, String> opts =
        new LinkedHashMap<>(
            Map.of(
                "servers",
                "raw,netty,jetty,jdk,spring",
                "scenarios",
                "connect,fanout,latency,unicast,slow",
                "runs",
                "3",
                "scale",
                "1.0"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    for (String option :
        List.of("minutes", "rate", "cycles", "out")) { // SoakScenario, HostileScenario
      if (opts.containsKey(option)) {
        System.setProperty("bench." + option, opts.get(option));
      }
    }
    opts.put("scenarios", opts.get("scenarios").replace("hostile", HostileScenario.ALL));
    double scale = Double.parseDouble(opts.get("scale"));
    int runs = Integer.parseInt(opts.get("runs"));
    for (String scenario : opts.get("scenarios").split(",")) {
      for (String server : opts.get("servers").split(",")) {
        List<Map<String, Double>> results = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
          results.add(run(scenario, server, scale));
        }
        System.out.println(json(scenario, server, results));
        System.out.flush();
      }
    }
  }

  private static Map<String, Double> run(String scenario, String server, double scale)
      throws Exception {
    switch (scenario) {
      case "connect":
        return connect(server, (int) (10_000 * scale));
      case "fanout":
        return fanout(server, (int) (10_000 * scale), 100, Publisher.Mode.DEDICATED);
      case "fanout-handler":
        return fanout(server, (int) (10_000 * scale), 100, Publisher.Mode.HANDLER);
      case "fanout-handler-each":
        return fanout(server, (int) (10_000 * scale), 100, Publisher.Mode.HANDLER_EACH);
      case "latency":
        return latency(server, (int) (1_000 * scale), 200, 10);
      case "unicast":
        return unicast(
            server, (int) (10_000 * scale), (int) (100_000 * scale), Publisher.Mode.DEDICATED);
      case "unicast-handler":
        return unicast(
            server, (int) (10_000 * scale), (int) (100_000 * scale), Publisher.Mode.HANDLER);
      case "unicast-handler-each":
        return unicast(
            server, (int) (10_000 * scale), (int) (100_000 * scale), Publisher.Mode.HANDLER_EACH);
      case "slow":
        return slow(server, 100, (int) (20_000 * scale), -1);
      case "slow-unpaced":
        return slow(server, 100, (int) (20_000 * scale), 0);
      case "slow-await":
        return slow(server, 100, (int) (20_000 * scale), -2);
      case "reconnect":
        return StormScenarios.reconnect(server, (int) (10_000 * scale), 1_000, 100);
      case "fanout-g10":
        return ScalingScenario.fanoutGroups(server, (int) (10_000 * scale), 10, 100);
      case "fanout-g100":
        return ScalingScenario.fanoutGroups(server, (int) (10_000 * scale), 100, 100);
      case "churn":
        return ChurnScenario.run(server, 32, 10 * scale);
      case "churn-cycles":
        return ChurnScenario.run(server, 32, 900, Long.getLong("bench.cycles", 10_000));
      case "slowloris":
        return HostileScenario.slowloris(server, (int) (500 * scale));
      case "never-readers":
        return HostileScenario.neverReaders(server, (int) (2_000 * scale));
      case "groups":
        return HostileScenario.groups(server, (int) (100_000 * scale));
      case "soak":
        return SoakScenario.run(server);
      case "cluster-latency":
        return ClusterScenarios.latency(server, (int) (1_000 * scale), 200, 10);
      case "cluster-fanout":
        return ClusterScenarios.fanout(server, (int) (10_000 * scale), 100);
      case "cluster-unicast":
        return ClusterScenarios.unicast(server, (int) (10_000 * scale), (int) (100_000 * scale));
      case "cluster-throughput":
        return ClusterScenarios.throughput(server, (int) (20_000 * scale));
      default:
        throw new IllegalArgumentException("scenario: " + scenario);
    }
  }

  /**
   * Seconds to open N streams, and memory per stream, measured twice. First the server's RSS
   * growth as it runs by default, which also counts heap pages that only garbage made during the
   * connects touched. Then, in a second server whose heap is all resident from the start
   * ({@code -XX:+AlwaysPreTouch}), the RSS growth (native memory only) plus the growth of the live
   * heap after full collections: what each stream really holds.
   */
  static Map<String, Double> connect(String server, int n) throws Exception {
    double seconds;
    long rssGrowth;
    try (ServerProcess process = new ServerProcess(server, 1 << 20, "1g");
        LoadClient client = new LoadClient()) {
      Thread.sleep(500);
      long before = process.rssKib();
      seconds = client.connect(process.port, n, 0);
      awaitConnections(process, n);
      Thread.sleep(500);
      rssGrowth = process.rssKib() - before;
    }
    try (ServerProcess process =
            new ServerProcess(server, 1 << 20, "1g", List.of("-XX:+AlwaysPreTouch"));
        LoadClient client = new LoadClient()) {
      Thread.sleep(500);
      long heapBefore = process.liveHeapBytes();
      long rssBefore = process.rssKib();
      client.connect(process.port, n, 0);
      awaitConnections(process, n);
      Thread.sleep(500);
      long nativeKib = process.rssKib() - rssBefore;
      double heapKib = (process.liveHeapBytes() - heapBefore) / 1024.0;
      return result(
          "connections",
          n,
          "connect_s",
          seconds,
          "rss_kib_per_connection",
          rssGrowth / (double) n,
          "live_heap_kib_per_connection",
          heapKib / n,
          "native_kib_per_connection",
          nativeKib / (double) n,
          "held_kib_per_connection",
          (heapKib + nativeKib) / n);
    }
  }

  /**
   * N streams, {@code broadcasts} sends of 128 bytes as fast as possible, from a dedicated thread
   * or from the server's publish route ({@link Publisher}).
   */
  static Map<String, Double> fanout(String server, int n, int broadcasts, Publisher.Mode mode)
      throws Exception {
    try (ServerProcess process = new ServerProcess(server, 1 << 20, "1g");
        LoadClient client = new LoadClient();
        Publisher publisher = Publisher.of(process, server, mode)) {
      client.connect(process.port, n, 0);
      awaitConnections(process, n);
      long total = (long) n * broadcasts;
      publisher.broadcast(broadcasts, 128); // warm-up, as in warmUp
      awaitWarmUp(client, total);
      long start = System.nanoTime();
      long publishNanos = publisher.broadcast(broadcasts, 128);
      long end = client.awaitEvents(total, 120_000_000_000L);
      double seconds = ((end < 0 ? System.nanoTime() : end) - start) / 1e9;
      return result(
          "connections",
          n,
          "events",
          total,
          "delivered_per_s",
          client.events() / seconds,
          "publish_s",
          publishNanos / 1e9,
          "deliver_s",
          seconds,
          "missing",
          total - client.events(),
          "out_of_order",
          client.outOfOrder());
    }
  }

  /** N streams, {@code rate} sends per second for {@code seconds}: delivery latency. */
  static Map<String, Double> latency(String server, int n, int rate, int seconds) throws Exception {
    try (ServerProcess process = new ServerProcess(server, 1 << 20, "1g");
        LoadClient client = new LoadClient()) {
      client.connect(process.port, n, 0);
      awaitConnections(process, n);
      warmUp(process, client, "broadcast " + (2 * rate) + " 64 " + rate, (long) n * 2 * rate);
      int count = rate * seconds;
      long total = (long) n * count;
      client.recordLatencies((int) total);
      String done = process.command("broadcast " + count + " 64 " + rate);
      client.awaitEvents(total, 60_000_000_000L);
      long[] sorted = client.sortedLatencies();
      double achieved = count / (nanosOf(done) / 1e9);
      return result(
          "connections",
          n,
          "publish_rate_per_s",
          achieved,
          "p50_ms",
          percentile(sorted, 0.50),
          "p99_ms",
          percentile(sorted, 0.99),
          "p999_ms",
          percentile(sorted, 0.999),
          "missing",
          total - client.events());
    }
  }

  /**
   * N clients, {@code sends} sendToClient calls of 128 bytes spread over them, from a dedicated
   * thread or from the server's publish route ({@link Publisher}).
   */
  static Map<String, Double> unicast(String server, int n, int sends, Publisher.Mode mode)
      throws Exception {
    try (ServerProcess process = new ServerProcess(server, 1 << 20, "1g");
        LoadClient client = new LoadClient();
        Publisher publisher = Publisher.of(process, server, mode)) {
      client.connect(process.port, n, 0);
      awaitConnections(process, n);
      publisher.unicast(sends, 128, n); // warm-up, as in warmUp
      awaitWarmUp(client, sends);
      long start = System.nanoTime();
      long publishNanos = publisher.unicast(sends, 128, n);
      long end = client.awaitEvents(sends, 120_000_000_000L);
      double seconds = ((end < 0 ? System.nanoTime() : end) - start) / 1e9;
      return result(
          "clients",
          n,
          "sends",
          sends,
          "delivered_per_s",
          client.events() / seconds,
          "publish_s",
          publishNanos / 1e9,
          "deliver_s",
          seconds,
          "missing",
          sends - client.events(),
          "out_of_order",
          client.outOfOrder());
    }
  }

  /**
   * {@code readers} streams plus one client that never reads (tiny receive buffer); {@code events}
   * sends of 1 KiB. {@code pace} -1 (scenario {@code slow}): the tool's publisher pauses while a
   * reader has 256 KiB waiting; 0 ({@code slow-unpaced}): as fast as the loop goes, as a user's
   * loop would; -2 ({@code slow-await}): {@code awaitCapacity} before every send. Reports the
   * readers' throughput, the events they missed (a healthy reader cut as a slow consumer misses
   * the rest) and the server's peak RSS growth.
   */
  static Map<String, Double> slow(String server, int readers, int events, int pace)
      throws Exception {
    try (ServerProcess process = new ServerProcess(server, 1 << 20, "1g");
        LoadClient client = new LoadClient();
        Socket stuck = new Socket()) {
      client.connect(process.port, readers, 0);
      stuck.setReceiveBufferSize(1024);
      stuck.connect(new InetSocketAddress("127.0.0.1", process.port));
      OutputStream out = stuck.getOutputStream();
      out.write(("GET /sse?clientId=stuck HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(US_ASCII));
      awaitConnections(process, readers + 1);
      Thread.sleep(500);
      long before = process.rssKib();
      AtomicLong peak = new AtomicLong(before);
      Thread sampler =
          new Thread(
              () -> {
                try {
                  while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(process.rssKib(), Math::max);
                    Thread.sleep(20);
                  }
                } catch (Exception e) {
                  // interrupted or the process ended: sampling stops
                }
              });
      sampler.start();
      long total = (long) readers * events;
      long start = System.nanoTime();
      process.command("broadcast " + events + " 1024 " + pace);
      long end = client.awaitEvents(total, 180_000_000_000L);
      double seconds = ((end < 0 ? System.nanoTime() : end) - start) / 1e9;
      sampler.interrupt();
      sampler.join();
      return result(
          "readers",
          readers,
          "events",
          events,
          "reader_events_per_s",
          client.events() / seconds,
          "missing",
          total - client.events(),
          "peak_rss_growth_kib",
          peak.get() - before);
    }
  }

  /**
   * Runs {@code command} once unmeasured and waits for its {@code events}: the server's JIT
   * compiles the hot path first (on two cores the compiler otherwise takes a core during a
   * measurement of seconds), as it would have in a server that runs for hours.
   */
  static void warmUp(ServerProcess process, LoadClient client, String command, long events)
      throws Exception {
    process.command(command);
    awaitWarmUp(client, events);
  }

  /** Waits for the warm-up's {@code events}, then counts from zero again. */
  static void awaitWarmUp(LoadClient client, long events) throws Exception {
    if (client.awaitEvents(events, 120_000_000_000L) < 0) {
      throw new IllegalStateException("warm-up: " + client.events() + " of " + events + " events");
    }
    client.resetEvents();
  }

  /** The publisher's own time, from its {@code DONE <nanos>} answer. */
  static long nanosOf(String done) {
    return Long.parseLong(done.substring(5));
  }

  static void awaitConnections(ServerProcess process, int n) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (process.connections() < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("server has " + process.connections() + " of " + n);
      }
      Thread.sleep(10);
    }
  }

  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  static Map<String, Double> result(Object... pairs) {
    Map<String, Double> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
    }
    return map;
  }

  private static String json(String scenario, String server, List<Map<String, Double>> runs) {
    StringBuilder json =
        new StringBuilder("{\"scenario\":\"")
            .append(scenario)
            .append("\",\"server\":\"")
            .append(server)
            .append("\",\"median\":{");
    boolean first = true;
    for (String key : runs.get(0).keySet()) {
      double[] values = runs.stream().mapToDouble(r -> r.get(key)).sorted().toArray();
      json.append(first ? "" : ",")
          .append('"')
          .append(key)
          .append("\":")
          .append(format(values[values.length / 2]));
      first = false;
    }
    json.append("},\"runs\":[");
    for (int i = 0; i < runs.size(); i++) {
      json.append(i == 0 ? "" : ",").append('{');
      boolean firstKey = true;
      for (Map.Entry<String, Double> e : runs.get(i).entrySet()) {
        json.append(firstKey ? "" : ",")
            .append('"')
            .append(e.getKey())
            .append("\":")
            .append(format(e.getValue()));
        firstKey = false;
      }
      json.append('}');
    }
    return json.append("]}").toString();
  }

  private static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : String.format(java.util.Locale.ROOT, "%.3f", value);
  }

  static double[] sorted(double[] values) {
    double[] copy = Arrays.copyOf(values, values.length);
    Arrays.sort(copy);
    return copy;
  }
}
