package io.sseservice.bench;

import static io.sseservice.bench.LoadTool.awaitConnections;
import static io.sseservice.bench.LoadTool.nanosOf;
import static io.sseservice.bench.LoadTool.percentile;
import static io.sseservice.bench.LoadTool.result;
import static io.sseservice.bench.LoadTool.warmUp;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.sseservice.test.RedisServer;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The load tool's cluster scenarios: two server processes ({@code a} and {@code b}, the same
 * adapter) as nodes of one cluster on a real {@code redis-server} that this process starts on a
 * free port (and stops by its pid), each figure beside the same measure on one node without Redis
 * in the same run, and beside {@code redis-benchmark}'s ceilings for the commands a send costs.
 * What users do: the publisher is one node, the readers are on another (or on both).
 *
 * <p>Thread-safety: used from the load tool's thread.
 */
final class ClusterScenarios {

  private ClusterScenarios() {}

  /**
   * N readers on node b; {@code rate} sends per second for {@code seconds}, published on b itself
   * (through Redis) and then on a (the cross-node hop): delivery latency of each, and of one node
   * without Redis.
   */
  static Map<String, Double> latency(String server, int n, int rate, int seconds) throws Exception {
    Map<String, Double> single = LoadTool.latency(server, n, rate, seconds);
    try (RedisServer redis = RedisServer.start(false);
        ServerProcess a = node(server, redis, "a");
        ServerProcess b = node(server, redis, "b");
        LoadClient client = new LoadClient()) {
      client.connect(b.port, n, 0);
      awaitConnections(b, n);
      double[] sameNode = paced(b, client, n, rate, seconds);
      double[] crossNode = paced(a, client, n, rate, seconds);
      return result(
          "connections",
          n,
          "rate_per_s",
          rate,
          "single_p50_ms",
          single.get("p50_ms"),
          "single_p99_ms",
          single.get("p99_ms"),
          "same_node_p50_ms",
          sameNode[0],
          "same_node_p99_ms",
          sameNode[1],
          "cross_node_p50_ms",
          crossNode[0],
          "cross_node_p99_ms",
          crossNode[1],
          "cross_node_p999_ms",
          crossNode[2],
          "cross_minus_single_p99_ms",
          crossNode[1] - single.get("p99_ms"),
          "missing",
          crossNode[3]);
    }
  }

  /** Publishes paced broadcasts on {@code publisher}; returns p50, p99, p99.9 (ms) and missing. */
  private static double[] paced(
      ServerProcess publisher, LoadClient client, int n, int rate, int seconds) throws Exception {
    warmUp(publisher, client, "broadcast " + (2 * rate) + " 64 " + rate, (long) n * 2 * rate);
    int count = rate * seconds;
    long total = (long) n * count;
    client.recordLatencies((int) total);
    publisher.command("broadcast " + count + " 64 " + rate);
    client.awaitEvents(total, 60_000_000_000L);
    long[] sorted = client.sortedLatencies();
    double[] figures = {
      percentile(sorted, 0.50),
      percentile(sorted, 0.99),
      percentile(sorted, 0.999),
      total - client.events()
    };
    client.resetEvents();
    return figures;
  }

  /**
   * N streams, half on a and half on b; {@code broadcasts} sends of 128 bytes as fast as a can
   * publish: events delivered per second, beside one node with all N streams and no Redis.
   */
  static Map<String, Double> fanout(String server, int n, int broadcasts) throws Exception {
    return spread(
        server,
        n,
        "broadcast " + broadcasts + " 128 0",
        (long) n * broadcasts,
        LoadTool.fanout(server, n, broadcasts, Publisher.Mode.DEDICATED));
  }

  /**
   * N clients, half on a and half on b; {@code sends} sendToClient calls of 128 bytes from a,
   * spread over them: events per second, beside one node with all N clients and no Redis.
   */
  static Map<String, Double> unicast(String server, int n, int sends) throws Exception {
    return spread(
        server,
        n,
        "unicast " + sends + " 128 " + n,
        sends,
        LoadTool.unicast(server, n, sends, Publisher.Mode.DEDICATED));
  }

  /**
   * N streams, half on a and half on b; runs {@code command} on a once to warm up, then once
   * measured, until its {@code events} arrived; compared with {@code single}'s rate.
   */
  private static Map<String, Double> spread(
      String server, int n, String command, long events, Map<String, Double> single)
      throws Exception {
    try (RedisServer redis = RedisServer.start(false);
        ServerProcess a = node(server, redis, "a");
        ServerProcess b = node(server, redis, "b");
        LoadClient client = new LoadClient()) {
      client.connect(a.port, n / 2, 0);
      client.connect(b.port, n - n / 2, n / 2);
      awaitConnections(a, n / 2);
      awaitConnections(b, n - n / 2);
      warmUp(a, client, command, events);
      long start = System.nanoTime();
      String done = a.command(command);
      long end = client.awaitEvents(events, 120_000_000_000L);
      double seconds = ((end < 0 ? System.nanoTime() : end) - start) / 1e9;
      double delivered = client.events() / seconds;
      return result(
          "connections",
          n,
          "events",
          events,
          "single_delivered_per_s",
          single.get("delivered_per_s"),
          "cluster_delivered_per_s",
          delivered,
          "ratio_to_single",
          delivered / single.get("delivered_per_s"),
          "publish_s",
          nanosOf(done) / 1e9,
          "deliver_s",
          seconds,
          "missing",
          events - client.events(),
          "out_of_order",
          client.outOfOrder());
    }
  }

  /**
   * Ten readers on b; {@code sends} broadcasts of 128 bytes to their group as fast as a can
   * publish: sends per second through the cluster (one Redis script per send, one read per node
   * and batch of doorbells), beside {@code redis-benchmark}'s ceilings for PUBLISH and XADD on
   * one connection with 64 commands in flight (as Lettuce pipelines a node's sends).
   */
  static Map<String, Double> throughput(String server, int sends) throws Exception {
    int readers = 10;
    try (RedisServer redis = RedisServer.start(false);
        ServerProcess a = node(server, redis, "a");
        ServerProcess b = node(server, redis, "b");
        LoadClient client = new LoadClient()) {
      client.connect(b.port, readers, 0);
      awaitConnections(b, readers);
      long total = (long) readers * sends;
      warmUp(a, client, "broadcast " + sends + " 128 0", total);
      long start = System.nanoTime();
      String done = a.command("broadcast " + sends + " 128 0");
      long end = client.awaitEvents(total, 120_000_000_000L);
      double seconds = ((end < 0 ? System.nanoTime() : end) - start) / 1e9;
      // script calls (publishes carrying many events, and the nodes' reads) per send, over the
      // warm-up and the run
      double scriptsPerSend = evalCalls(redis) / (2.0 * sends);
      String payload = "x".repeat(128);
      double publish = redisBenchmark(redis, "PUBLISH", "bench:channel", payload);
      double xadd =
          redisBenchmark(redis, "XADD", "bench:stream", "MAXLEN", "~", "10000", "*", "d", payload);
      double sendsPerSecond = sends / seconds;
      return result(
          "readers",
          readers,
          "sends",
          sends,
          "cluster_sends_per_s",
          sendsPerSecond,
          "publish_s",
          nanosOf(done) / 1e9,
          "redis_publish_per_s",
          publish,
          "redis_xadd_per_s",
          xadd,
          "ratio_to_xadd",
          sendsPerSecond / xadd,
          "script_calls_per_send",
          scriptsPerSend,
          "missing",
          total - client.events(),
          "out_of_order",
          client.outOfOrder());
    }
  }

  private static ServerProcess node(String server, RedisServer redis, String nodeId)
      throws IOException {
    return new ServerProcess(
        server,
        1 << 20,
        "1g",
        List.of(
            "-D" + LoadServer.REDIS + "=" + redis.uri(), "-D" + LoadServer.NODE + "=" + nodeId));
  }

  /** Scripts Redis ran so far (publishes, and the nodes' reads), from {@code INFO commandstats}. */
  private static long evalCalls(RedisServer redis) throws Exception {
    Process process =
        new ProcessBuilder(
                "redis-cli", "-p", Integer.toString(redis.port()), "INFO", "commandstats")
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    process.waitFor();
    for (String line : output.split("\r?\n")) {
      if (line.startsWith("cmdstat_eval:calls=")) {
        return Long.parseLong(line.substring(19, line.indexOf(',')));
      }
    }
    return 0;
  }

  /** Requests per second {@code redis-benchmark} gets for one command (one connection, -P 64). */
  private static double redisBenchmark(RedisServer redis, String... command) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "redis-benchmark",
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(redis.port()),
                "-q",
                "-n",
                "200000",
                "-c",
                "1",
                "-P",
                "64"));
    args.addAll(List.of(command));
    Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    process.waitFor();
    // "-q" prints "<command>: <n> requests per second, p50=..." (after \r progress lines)
    int at = output.lastIndexOf(" requests per second");
    if (at < 0) {
      throw new IllegalStateException("redis-benchmark: " + output);
    }
    int from = output.lastIndexOf(' ', at - 1) + 1;
    return Double.parseDouble(output.substring(from, at));
  }
}
