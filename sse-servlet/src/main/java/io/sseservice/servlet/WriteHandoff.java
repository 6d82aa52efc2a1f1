package io.sseservice.servlet;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Takes the first write of an idle stream off the application's thread. The Servlet API has no
 * event loop to hand a write to, so without this a {@code sendToAll} would write to every idle
 * stream itself, paying every stream's syscall on the publisher's thread. One daemon thread drains
 * the queue in bulk; writes that continue from the container's {@code onWritePossible} stay on the
 * container's thread. The writes are non-blocking, so one thread serves every stream.
 *
 * <p>Thread-safety: {@link #submit} from any thread.
 */
final class WriteHandoff implements Runnable {

  private static final WriteHandoff SHARED = new WriteHandoff();

  private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
    Thread t = new Thread(runnable, "sse-servlet-writer");
    t.setDaemon(true);
    return t;
  });
  private final ConcurrentLinkedQueue<Runnable> writes = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  static WriteHandoff shared() {
    return SHARED;
  }

  void submit(Runnable write) {
    writes.add(write);
    if (scheduled.compareAndSet(false, true)) {
      thread.execute(this);
    }
  }

  @Override
  public void run() {
    scheduled.set(false); // writes added from now on schedule another run
    for (Runnable write = writes.poll(); write != null; write = writes.poll()) {
      write.run();
    }
  }
}
