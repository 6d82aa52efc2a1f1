package io.sseservice.internal;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the adapters' shared writer pools: daemon threads that exit after an idle spell, so a
 * pool costs no thread while no stream writes, and a web application that was undeployed leaves
 * no thread behind to pin its class loader once its streams are closed. The threads inherit no
 * thread-locals from whoever started them.
 *
 * <p>Thread-safety: stateless; the pools it makes are thread-safe.
 */
public final class DaemonThreads {

  private DaemonThreads() {}

  /**
   * Returns a pool of up to {@code threads} daemon threads named {@code name-N}; each exits
   * after {@code idleMillis} without work, and a new one starts with the next task.
   */
  public static ThreadPoolExecutor pool(String name, int threads, long idleMillis) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            idleMillis,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            factory(name));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * Returns a factory of daemon threads named {@code name-N} that inherit no thread-locals and
   * have this library's class loader as their context loader.
   */
  public static ThreadFactory factory(String name) {
    AtomicInteger count = new AtomicInteger();
    ClassLoader loader = DaemonThreads.class.getClassLoader();
    return runnable -> {
      Thread thread = new Thread(null, runnable, name + "-" + count.incrementAndGet(), 0, false);
      thread.setDaemon(true);
      thread.setContextClassLoader(loader);
      return thread;
    };
  }
}
