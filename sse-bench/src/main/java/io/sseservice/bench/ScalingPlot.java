package io.sseservice.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Draws the scaling plot of docs/PERFORMANCE.md from the load tool's JSON lines: for each server,
 * the median delivered events/s of its {@code fanout} lines against their connection count.
 * {@code ScalingPlot <out.svg> <server,server> <lines.jsonl>...}. Thread-safety: a main only.
 */
public final class ScalingPlot {

  private static final Pattern LINE =
      Pattern.compile(
          "\\{\"scenario\":\"fanout\",\"server\":\"([a-z-]+)\",\"median\":\\{\"connections\":(\\d+),"
              + "\"events\":\\d+,\"delivered_per_s\":([0-9.]+)");

  private ScalingPlot() {}

  /** Reads the lines, writes the plot. */
  public static void main(String[] args) throws Exception {
    Map<String, TreeMap<Integer, Double>> byServer = new TreeMap<>();
    for (String server : args[1].split(",")) {
      byServer.put(server, new TreeMap<>());
    }
    for (int i = 2; i < args.length; i++) {
      for (String line : Files.readAllLines(Path.of(args[i]))) {
        Matcher m = LINE.matcher(line);
        if (m.lookingAt() && byServer.containsKey(m.group(1))) {
          byServer
              .get(m.group(1))
              .put(Integer.parseInt(m.group(2)), Double.parseDouble(m.group(3)));
        }
      }
    }
    SvgPlot plot =
        new SvgPlot("Fanout: 100 broadcasts of 128 B, medians", "streams", "delivered events/s");
    byServer.forEach(
        (server, points) ->
            plot.series(
                server,
                points.keySet().stream().mapToDouble(Integer::doubleValue).toArray(),
                points.values().stream().mapToDouble(Double::doubleValue).toArray()));
    plot.write(Path.of(args[0]));
  }
}
