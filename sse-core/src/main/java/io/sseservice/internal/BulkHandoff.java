package io.sseservice.internal;

import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands work to an executor in bulk: one scheduled task drains everything submitted until then,
 * so a broadcast that starts writes on 10,000 idle streams costs a few task hand-overs instead of
 * 10,000. Adapters use it to take the first write of an idle stream off the application's
 * thread (Netty: to the channel's event loop; Servlet: to a writer thread).
 *
 * <p>Each task is isolated: one that throws is logged and the tasks behind it still run. If the
 * executor refuses the drain (it was shut down), the submitting thread runs the queued tasks
 * itself, so none is stranded: each then finds its stream closed and fails its own write, and the
 * hand-off keeps working if the executor takes tasks again.
 *
 * <p>Thread-safety: {@link #submit} from any thread; the tasks run on the executor, in order.
 */
public final class BulkHandoff implements Runnable {

  private static final System.Logger LOG = System.getLogger("io.sseservice");

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
      try {
        executor.execute(this);
      } catch (RejectedExecutionException e) {
        run(); // nobody else will: drain here, and leave the flag clear for the next submit
      }
    }
  }

  /** Runs every queued task; tasks submitted meanwhile schedule another drain. */
  @Override
  public void run() {
    scheduled.set(false);
    for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
      try {
        task.run();
      } catch (Throwable e) { // even an Error: the tasks behind it belong to other streams
        LOG.log(Level.WARNING, "a hand-off task failed; the others still run", e);
      }
    }
  }

  /** Returns whether tasks wait for a drain (for tests). */
  public boolean isIdle() {
    return tasks.isEmpty() && !scheduled.get();
  }
}
