package io.sseservice.jdk;

import io.sseservice.internal.DaemonThreads;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pool of daemon writer threads, by default one lazily made and shared by every service in
 * the JVM. It keeps up to {@code core} threads as a plain pool does, and beyond them starts a
 * thread only when every writer is busy, up to {@code max}: a peer that stops reading blocks its
 * writer in the socket until the write timeout or the queue bound cuts it, so without growth a
 * few such peers would hold every writer and leave healthy streams' writes queued behind them.
 * Only past {@code max} busy writers do tasks wait in the queue. Its threads exit after
 * {@link #IDLE_MILLIS} without work, so a pool nobody writes to costs no thread, and an undeployed
 * application whose streams were closed leaves none behind to pin its class loader.
 *
 * <p>Thread-safety: thread-safe.
 */
final class WriterPool extends ThreadPoolExecutor {

  /** How long a writer thread waits for work before it exits. */
  static final long IDLE_MILLIS = 5_000;

  /** Tasks handed to the pool and not yet finished (queued or running). */
  private final AtomicInteger submitted = new AtomicInteger();

  private WriterPool(int core, int max, long idleMillis, GrowFirstQueue queue) {
    super(
        core,
        max,
        idleMillis,
        TimeUnit.MILLISECONDS,
        queue,
        DaemonThreads.factory("sse-jdk-writer"),
        WriterPool::queueAnyway);
    queue.pool = this;
    allowCoreThreadTimeOut(true);
  }

  static WriterPool shared() {
    return Holder.POOL;
  }

  private static final class Holder {
    static final WriterPool POOL =
        create(JdkSse.DEFAULT_WRITER_THREADS, JdkSse.MAX_WRITER_THREADS, IDLE_MILLIS);
  }

  static WriterPool create(int core, int max, long idleMillis) {
    return new WriterPool(core, max, idleMillis, new GrowFirstQueue());
  }

  @Override
  public void execute(Runnable task) {
    submitted.incrementAndGet();
    try {
      super.execute(task);
    } catch (RejectedExecutionException e) {
      submitted.decrementAndGet();
      throw e;
    }
  }

  @Override
  protected void afterExecute(Runnable task, Throwable failure) {
    submitted.decrementAndGet();
  }

  /** Lost the race for the last thread below {@code max}: wait in the queue after all. */
  private static void queueAnyway(Runnable task, ThreadPoolExecutor pool) {
    if (pool.isShutdown() || !((GrowFirstQueue) pool.getQueue()).queue(task)) {
      throw new RejectedExecutionException("writer pool shut down");
    }
  }

  /**
   * Refuses a task while every thread is busy and the pool may still grow, so that the executor
   * starts a thread for it instead of queueing it behind writes that block.
   */
  private static final class GrowFirstQueue extends LinkedBlockingQueue<Runnable> {

    private static final long serialVersionUID = 1L;

    // set by WriterPool's constructor, before the executor offers any task
    @SuppressWarnings("NullAway.Init")
    private transient WriterPool pool;

    @Override
    public boolean offer(Runnable task) {
      WriterPool owner = pool;
      int threads = owner.getPoolSize();
      if (owner.submitted.get() > threads && threads < owner.getMaximumPoolSize()) {
        return false; // no idle writer: the executor starts one
      }
      return super.offer(task);
    }

    boolean queue(Runnable task) {
      return super.offer(task);
    }
  }
}
