package io.sseservice.internal;

import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

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

  /** The largest task array kept for the next drain (a burst to 10,000 streams of one loop). */
  private static final int KEPT_SLOTS = 1 << 16;

  private final Executor executor;

  /**
   * Guards {@link #queued}, {@link #size}, {@link #spare} and {@link #scheduled}: one uncontended
   * monitor and an array store per task, where a linked queue allocated a node and contended
   * on its tail with the draining loop (a fifth of a broadcast's time on the sender's thread).
   */
  private final Object lock = new Object();

  private Runnable[] queued = new Runnable[16];
  private int size;

  /** A drained array, cleared, for the next one to fill; null while a drain holds it. */
  private Runnable @Nullable [] spare;

  private boolean scheduled;

  /** Returns a hand-off that runs its tasks on {@code executor}. */
  public BulkHandoff(Executor executor) {
    this.executor = executor;
  }

  /** Queues {@code task}; schedules a drain unless one is already scheduled. */
  public void submit(Runnable task) {
    boolean schedule;
    synchronized (lock) {
      if (size == queued.length) {
        queued = Arrays.copyOf(queued, size * 2);
      }
      queued[size++] = task;
      schedule = !scheduled;
      scheduled = true;
    }
    if (schedule) {
      try {
        executor.execute(this);
      } catch (RejectedExecutionException e) {
        run(); // nobody else will: drain here, and leave the flag clear for the next submit
      }
    }
  }

  /** Runs every queued task, in order; tasks submitted meanwhile schedule another drain. */
  @Override
  public void run() {
    Runnable[] tasks;
    int count;
    synchronized (lock) {
      scheduled = false;
      tasks = queued;
      count = size;
      Runnable[] next = spare;
      queued = next == null ? new Runnable[16] : next;
      spare = null;
      size = 0;
    }
    for (int i = 0; i < count; i++) {
      Runnable task = tasks[i];
      tasks[i] = null; // a task's stream is not pinned by an idle hand-off
      try {
        task.run();
      } catch (Throwable e) { // even an Error: the tasks behind it belong to other streams
        LOG.log(Level.WARNING, "a hand-off task failed; the others still run", e);
      }
    }
    if (tasks.length <= KEPT_SLOTS) {
      synchronized (lock) {
        if (spare == null) {
          spare = tasks;
        }
      }
    }
  }

  /** Returns whether tasks wait for a drain (for tests). */
  public boolean isIdle() {
    synchronized (lock) {
      return size == 0 && !scheduled;
    }
  }
}
