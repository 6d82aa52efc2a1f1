package io.sseservice.servlet;

import io.sseservice.internal.BulkHandoff;
import io.sseservice.internal.DaemonThreads;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Takes the first write of an idle stream off the application's thread. The Servlet API has no
 * event loop to hand a write to, so without this a {@code sendToAll} would write to every idle
 * stream itself, paying every stream's syscall on the publisher's thread. One daemon thread drains
 * the hand-off in bulk; writes that continue from the container's {@code onWritePossible} stay on
 * the container's thread. The writes are non-blocking, so one thread serves every stream.
 *
 * <p>The thread exits after {@link #IDLE_MILLIS} without work and a new one starts with the next
 * write, so an undeployed web application whose streams were closed leaves no thread behind to pin
 * its class loader.
 *
 * <p>Thread-safety: stateless apart from the shared hand-off, which is thread-safe.
 */
final class WriteHandoff {

  /** How long the writer thread waits for work before it exits. */
  static final long IDLE_MILLIS = 5_000;

  private static final ThreadPoolExecutor WRITER =
      DaemonThreads.pool("sse-servlet-writer", 1, IDLE_MILLIS);

  /** True on the writer thread while it drains the hand-off. */
  private static final ThreadLocal<Boolean> DRAINING = ThreadLocal.withInitial(() -> false);

  private static final BulkHandoff SHARED =
      new BulkHandoff(
          drain ->
              WRITER.execute(
                  () -> {
                    DRAINING.set(true);
                    try {
                      drain.run();
                    } finally {
                      DRAINING.set(false);
                    }
                  }));

  private WriteHandoff() {}

  static BulkHandoff shared() {
    return SHARED;
  }

  /** Whether the caller is the hand-off's writer thread, where writes may start inline. */
  static boolean isWriterThread() {
    return DRAINING.get();
  }

  /** Returns how many writer threads are alive now (0 or 1; for tests). */
  static int liveThreads() {
    return WRITER.getPoolSize();
  }
}
