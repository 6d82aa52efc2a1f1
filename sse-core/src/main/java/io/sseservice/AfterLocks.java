package io.sseservice;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;

/**
 * Work that must not run while this thread holds a group's lock: listeners, disconnect callbacks,
 * transport closes and registry notifications. Inside a locked section it waits on a per-thread
 * list and runs as soon as the outermost section ends, on the same thread; outside one it runs at
 * once. Each task is isolated: one that throws is logged and the others still run.
 *
 * <p>Thread-safety: per thread; nothing is shared between threads.
 */
final class AfterLocks {

  private static final ThreadLocal<AfterLocks> CURRENT = ThreadLocal.withInitial(AfterLocks::new);

  private int depth;
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>(4);

  private AfterLocks() {}

  /** Marks the start of a locked section on this thread. */
  static AfterLocks enter() {
    AfterLocks current = CURRENT.get();
    current.depth++;
    return current;
  }

  /** Marks the end of the section {@link #enter()} started; the outermost runs what waited. */
  void exit() {
    if (--depth == 0) {
      for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
        runIsolated(task);
      }
    }
  }

  /** Runs {@code task} now, or after the locked section this thread is in. */
  static void run(Runnable task) {
    AfterLocks current = CURRENT.get();
    if (current.depth > 0) {
      current.tasks.add(task);
    } else {
      runIsolated(task);
    }
  }

  private static void runIsolated(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException | LinkageError | AssertionError e) {
      SseService.LOG.log(Level.WARNING, "a task run after a send failed", e);
    }
  }
}
