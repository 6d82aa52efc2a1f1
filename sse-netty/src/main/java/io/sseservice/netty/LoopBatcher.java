package io.sseservice.netty;

import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands writes that start off the event loop (a broadcast from the application's thread) to the
 * loop in bulk: one task and one wake-up per loop per burst instead of one per channel. Without
 * it, a broadcast to 10,000 idle connections queues 10,000 tasks and 10,000 wake-ups; with it, a
 * few. Writes that start on the loop (the next batch after a completion) do not come here.
 *
 * <p>Thread-safety: {@link #submit} from any thread; {@link #run} on the loop.
 */
final class LoopBatcher implements Runnable {

  /** One batcher per event loop, found once per connection; weak so a stopped loop is freed. */
  private static final Map<EventLoop, LoopBatcher> BATCHERS = new WeakHashMap<>();

  private final EventLoop loop;
  private final ConcurrentLinkedQueue<Runnable> writes = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  private LoopBatcher(EventLoop loop) {
    this.loop = loop;
  }

  static LoopBatcher of(EventLoop loop) {
    synchronized (BATCHERS) {
      return BATCHERS.computeIfAbsent(loop, LoopBatcher::new);
    }
  }

  void submit(Runnable write) {
    writes.add(write);
    if (scheduled.compareAndSet(false, true)) {
      loop.execute(this);
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
