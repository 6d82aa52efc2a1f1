package io.sseservice.netty;

import io.netty.channel.EventLoop;
import io.sseservice.internal.BulkHandoff;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Finds the {@link BulkHandoff} of an event loop, through which writes that start off the loop (a
 * broadcast from the application's thread) reach it in bulk: one task and one wake-up per loop
 * per burst instead of one per channel. Writes that start on the loop (the next batch after a
 * completion) do not go through it.
 *
 * <p>Both the key and the value are weak: a hand-off holds its loop (it runs on it), so a strong
 * value would keep every loop alive forever, and with it its thread's resources once the loop was
 * shut down. The transports of a loop's channels hold its hand-off strongly, so it lives exactly
 * as long as a channel of that loop may use it.
 *
 * <p>Thread-safety: thread-safe; called once per connection, never per write.
 */
final class LoopBatcher {

  private static final Map<EventLoop, WeakReference<BulkHandoff>> HANDOFFS = new WeakHashMap<>();

  private LoopBatcher() {}

  static BulkHandoff of(EventLoop loop) {
    synchronized (HANDOFFS) {
      WeakReference<BulkHandoff> ref = HANDOFFS.get(loop);
      BulkHandoff handoff = ref == null ? null : ref.get();
      if (handoff == null) {
        handoff = new BulkHandoff(loop);
        HANDOFFS.put(loop, new WeakReference<>(handoff));
      }
      return handoff;
    }
  }

  /** Returns how many loops have a hand-off entry (for tests; stale entries count until purged). */
  static int size() {
    synchronized (HANDOFFS) {
      return HANDOFFS.size();
    }
  }
}
