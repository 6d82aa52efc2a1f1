package io.sseservice.netty;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a probe's {@code main} in a JVM of its own, on this test's class path (so on the Netty
 * line of the Failsafe execution), for what must not share the test JVM: a small direct-memory
 * limit, a network namespace. Its output is the probe's result.
 */
final class ChildJvm {

  /** A finished run: its exit code and everything it printed (stdout and stderr). */
  record Result(int exitCode, String output) {}

  private ChildJvm() {}

  /** Returns the command that runs {@code probe} with {@code jvmArgs} and {@code args}. */
  static List<String> command(List<String> jvmArgs, Class<?> probe, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(probe.getName());
    command.addAll(List.of(args));
    return command;
  }

  /** Runs {@code command}; fails if it has not ended within {@code timeoutSeconds}. */
  static Result run(List<String> command, long timeoutSeconds)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    // the output is read to its end: the pipe never fills and blocks the child
    var output = new java.util.concurrent.CompletableFuture<String>();
    Thread reader =
        new Thread(
            () -> {
              try {
                output.complete(new String(process.getInputStream().readAllBytes(), UTF_8));
              } catch (IOException e) {
                output.completeExceptionally(e);
              }
            },
            "child-jvm-output");
    reader.setDaemon(true);
    reader.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "the probe did not end within " + timeoutSeconds + " s: " + String.join(" ", command));
    }
    try {
      return new Result(process.exitValue(), output.get(10, TimeUnit.SECONDS));
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IOException("could not read the probe's output", e);
    }
  }
}
