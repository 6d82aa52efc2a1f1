package io.sseservice.servlet;

import io.sseservice.internal.BulkHandoff;
import java.util.concurrent.Executors;

/**
 * Takes the first write of an idle stream off the application's thread. The Servlet API has no
 * event loop to hand a write to, so without this a {@code sendToAll} would write to every idle
 * stream itself, paying every stream's syscall on the publisher's thread. One daemon thread drains
 * the hand-off in bulk; writes that continue from the container's {@code onWritePossible} stay on
 * the container's thread. The writes are non-blocking, so one thread serves every stream.
 *
 * <p>Thread-safety: stateless apart from the shared hand-off, which is thread-safe.
 */
final class WriteHandoff {

  /** The writer thread, once started (the executor makes exactly one). */
  private static volatile Thread writer;

  private static final BulkHandoff SHARED = new BulkHandoff(
      Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sse-servlet-writer");
        thread.setDaemon(true);
        writer = thread;
        return thread;
      }));

  private WriteHandoff() {}

  static BulkHandoff shared() {
    return SHARED;
  }

  /** Whether the caller is the hand-off's writer thread, where writes may start inline. */
  static boolean isWriterThread() {
    return Thread.currentThread() == writer;
  }
}
