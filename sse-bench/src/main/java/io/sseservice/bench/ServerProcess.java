package io.sseservice.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link LoadServer} (or, for {@code spring} and {@code webflux}, the
 * {@code SpringEmitterServer} or {@code WebFluxLoadServer} of module {@code sse-bench-spring}, on
 * its own class path given by {@value #SPRING_CLASSPATH}) in its own
 * JVM, driven over its stdin/stdout; RSS read from /proc.
 */
final class ServerProcess implements AutoCloseable {

  private final Process process;
  private final BufferedReader out;
  private final PrintStream in;
  final int port;

  /** The system property with the Spring reference server's class path (set by run.sh). */
  static final String SPRING_CLASSPATH = "bench.spring.classpath";

  ServerProcess(String adapter, long maxQueuedBytes, String heap) throws IOException {
    this(adapter, maxQueuedBytes, heap, List.of());
  }

  /** As above, with extra JVM flags (before those of {@code BENCH_SERVER_JVM_OPTS}). */
  ServerProcess(String adapter, long maxQueuedBytes, String heap, List<String> jvmFlags)
      throws IOException {
    if ("spring".equals(adapter)) {
      // Spring MVC on Tomcat holds about 136 KiB of heap per stream: in 1 GiB it runs out of
      // memory at about 9,850 streams, so the reference row gets 3 GiB (docs/PERFORMANCE.md)
      heap = "3g";
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms" + heap,
                "-Xmx" + heap,
                "-XX:+UseG1GC",
                "-XX:+ExitOnOutOfMemoryError")); // a server out of memory ends, and the tool says
    // so
    command.addAll(jvmFlags);
    String extra = System.getenv("BENCH_SERVER_JVM_OPTS"); // e.g. a Flight Recorder to profile
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    if ("spring".equals(adapter) || "webflux".equals(adapter)) {
      String classpath = System.getProperty(SPRING_CLASSPATH);
      if (classpath == null) {
        throw new IllegalStateException(
            "server " + adapter + " needs -D" + SPRING_CLASSPATH + " (sse-bench/run.sh sets it)");
      }
      command.addAll(
          List.of(
              "-cp",
              classpath,
              "spring".equals(adapter)
                  ? "io.sseservice.bench.SpringEmitterServer"
                  : "io.sseservice.bench.WebFluxLoadServer",
              adapter,
              Long.toString(maxQueuedBytes)));
    } else {
      command.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              LoadServer.class.getName(),
              adapter,
              Long.toString(maxQueuedBytes)));
    }
    process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
    in = new PrintStream(process.getOutputStream(), true, UTF_8);
    String first = expect("PORT");
    port = Integer.parseInt(first.substring(5));
  }

  /** Sends a command and returns its answer line. */
  String command(String command) throws IOException {
    in.println(command);
    String word = command.split(" ")[0];
    return expect(
        word.equals("connections") || word.equals("memory") || word.equals("stats")
            ? word.toUpperCase(java.util.Locale.ROOT)
            : "DONE");
  }

  /** Heap bytes in use after full collections. */
  long liveHeapBytes() throws IOException {
    return Long.parseLong(command("memory").substring(7));
  }

  /** The service's counters: connections, groups, slow-consumer cuts, events sent, history bytes. */
  long[] stats() throws IOException {
    String[] words = command("stats").split(" ");
    long[] values = new long[words.length - 1];
    for (int i = 1; i < words.length; i++) {
      values[i - 1] = Long.parseLong(words[i]);
    }
    return values;
  }

  int connections() throws IOException {
    return Integer.parseInt(command("connections").substring(12));
  }

  /** The server's resident set size in KiB. */
  long rssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for " + process.pid());
  }

  /** The CPU time the server has used so far, user and system, in seconds (from /proc). */
  double cpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
    // fields after the command's closing parenthesis: state is field 3, utime 14, stime 15
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks / 100.0; // USER_HZ, 100 on Linux
  }

  /** How many file descriptors the server holds open (sockets included). */
  int openFiles() throws IOException {
    try (java.util.stream.Stream<Path> fds =
        Files.list(Path.of("/proc/" + process.pid() + "/fd"))) {
      return (int) fds.count();
    }
  }

  private String expect(String prefix) throws IOException {
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith(prefix)) {
        return line;
      }
      if (line.startsWith("ERROR")) {
        throw new IllegalStateException(line);
      }
    }
    throw new IllegalStateException("load server ended before answering " + prefix);
  }

  @Override
  public void close() {
    in.println("quit");
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt(); // the caller's interrupt stays visible
    }
  }
}
