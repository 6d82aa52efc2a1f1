package io.sseservice.jdk;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The lazily made default pool of daemon writer threads, shared by every service in the JVM. */
final class WriterPool {

  private WriterPool() {}

  static ExecutorService shared() {
    return Holder.POOL;
  }

  private static final class Holder {
    static final ExecutorService POOL = create(JdkSse.DEFAULT_WRITER_THREADS);
  }

  static ExecutorService create(int threads) {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, "sse-jdk-writer-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
