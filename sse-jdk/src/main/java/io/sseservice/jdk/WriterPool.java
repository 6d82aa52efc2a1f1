package io.sseservice.jdk;

import io.sseservice.internal.DaemonThreads;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * The lazily made default pool of daemon writer threads, shared by every service in the JVM. Its
 * threads exit after {@link #IDLE_MILLIS} without work, so a pool nobody writes to costs no thread,
 * and an undeployed application whose streams were closed leaves none behind to pin its class
 * loader. Thread-safety: thread-safe.
 */
final class WriterPool {

  /** How long a writer thread waits for work before it exits. */
  static final long IDLE_MILLIS = 5_000;

  private WriterPool() {}

  static ThreadPoolExecutor shared() {
    return Holder.POOL;
  }

  private static final class Holder {
    static final ThreadPoolExecutor POOL = create(JdkSse.DEFAULT_WRITER_THREADS, IDLE_MILLIS);
  }

  static ThreadPoolExecutor create(int threads, long idleMillis) {
    return DaemonThreads.pool("sse-jdk-writer", threads, idleMillis);
  }
}
