package io.sseservice.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands work to an executor in bulk: one scheduled task drains everything submitted until then,
 * so a broadcast that starts writes on 10,000 idle streams costs a few task hand-overs instead of
 * 10,000. Adapters use it to take the first write of an idle stream off the application's
 * thread (Netty: to the channel's event loop; Servlet: to a writer thread).
 *
 * <p>Thread-safety: {@link #submit} from any thread; the tasks run on the executor, in order.
 */
public final class BulkHandoff implements Runnable {

  private final Executor executor;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** Returns a hand-off that runs its tasks on {@code executor}. */
  public BulkHandoff(Executor executor) {
    this.executor = executor;
  }

  /** Queues {@code task}; schedules a drain unless one is already scheduled. */
  public void submit(Runnable task) {
    tasks.add(task);
    if (scheduled.compareAndSet(false, true)) {
      executor.execute(this);
    }
  }

  /** Runs every queued task; tasks submitted meanwhile schedule another drain. */
  @Override
  public void run() {
    scheduled.set(false);
    for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
      task.run();
    }
  }
}
