package io.sseservice.test;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code redis-server} process for tests and benchmarks (Debian's package, found in
 * {@code /usr/bin} or {@code /usr/local/bin}): started on a free port of loopback, without
 * persistence unless asked, and stopped by its pid; no Docker. {@link #shared()} is one server for
 * every test of the JVM, stopped when the JVM exits; tests that stop or kill Redis start their
 * own. {@link #command} speaks just enough RESP for test setup and checks.
 *
 * <p>Thread-safety: not thread-safe; used from the test thread.
 */
public final class RedisServer implements AutoCloseable {

  private static final List<RedisServer> SHARED = new ArrayList<>();

  private final int port;
  private final Path dir;
  private final boolean appendOnly;

  // set by launch(), which start() calls before the server escapes: never null outside
  @SuppressWarnings("NullAway.Init")
  private Process process;

  private RedisServer(int port, boolean appendOnly) throws IOException {
    this.port = port;
    this.appendOnly = appendOnly;
    this.dir = Files.createTempDirectory("redis-" + port);
  }

  /** The server every test of this JVM may share (each with its own key prefix). */
  public static RedisServer shared() {
    return shared(0);
  }

  /** The {@code index}th of the servers the tests of this JVM share (for sharding tests). */
  public static synchronized RedisServer shared(int index) {
    while (SHARED.size() <= index) {
      RedisServer server = start(false);
      SHARED.add(server);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    }
    return SHARED.get(index);
  }

  /** Starts a server of its own on a free port, persisting to an append-only file if asked. */
  public static RedisServer start(boolean appendOnly) {
    try {
      RedisServer server = new RedisServer(freePort(), appendOnly);
      server.launch();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("could not start redis-server: " + e.getMessage(), e);
    }
  }

  /** Returns the server's URI, {@code redis://127.0.0.1:<port>}. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Returns the server's port on loopback. */
  public int port() {
    return port;
  }

  /** Returns the pid of the running server process. */
  public long pid() {
    return process.pid();
  }

  /** Stops the server (SIGTERM, by its pid) and waits for it to exit. */
  public void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      waitForExit();
    }
  }

  /** Kills the server (SIGKILL): nothing is saved. */
  public void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      waitForExit();
    }
  }

  /** Starts the stopped server again on the same port (with its data, if it persists). */
  public void restart() {
    stop();
    try {
      launch();
    } catch (IOException e) {
      throw new IllegalStateException("could not restart redis-server: " + e.getMessage(), e);
    }
  }

  /**
   * Sends one command on a connection of its own and returns the first line of the answer as
   * Redis wrote it ({@code +PONG}, {@code :1}, {@code $5}, ...), for test setup and checks.
   */
  public String command(String... args) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      StringBuilder request = new StringBuilder("*" + args.length + "\r\n");
      for (String arg : args) {
        request
            .append('$')
            .append(arg.getBytes(UTF_8).length)
            .append("\r\n")
            .append(arg)
            .append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
        line.append((char) c);
      }
      return line.toString().trim();
    } catch (IOException e) {
      throw new IllegalStateException("redis command " + List.of(args) + " failed: " + e, e);
    }
  }

  @Override
  public void close() {
    kill();
  }

  private void launch() throws IOException {
    List<String> command =
        List.of(
            executable(),
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--protected-mode",
            "no",
            "--daemonize",
            "no",
            "--save",
            "",
            "--appendonly",
            appendOnly ? "yes" : "no",
            "--appendfsync",
            "always",
            "--dir",
            dir.toString(),
            "--loglevel",
            "warning");
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
      }
      try {
        if (command("PING").equals("+PONG")) {
          return;
        }
      } catch (IllegalStateException notYet) {
        // not listening yet
      }
      sleep(20);
    }
    throw new IOException("redis-server did not answer PING within 10 s on port " + port);
  }

  private static String executable() {
    for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
      if (new File(candidate).canExecute()) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "redis-server is not installed: apt-get install redis-server"
            + " (CI's .ci/run installs it)");
  }

  private void waitForExit() {
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
