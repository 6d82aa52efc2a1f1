package io.sseservice.netty;

import io.netty.channel.EventLoop;
import io.sseservice.internal.BulkHandoff;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Finds the {@link BulkHandoff} of an event loop, through which writes that start off the loop (a
 * broadcast from the application's thread) reach it in bulk: one task and one wake-up per loop
 * per burst instead of one per channel. Writes that start on the loop (the next batch after a
 * completion) do not go through it.
 *
 * <p>Thread-safety: thread-safe; called once per connection, never per write.
 */
final class LoopBatcher {

  /** Weak keys: a stopped loop and its hand-off are freed. */
  private static final Map<EventLoop, BulkHandoff> HANDOFFS = new WeakHashMap<>();

  private LoopBatcher() {}

  static BulkHandoff of(EventLoop loop) {
    synchronized (HANDOFFS) {
      return HANDOFFS.computeIfAbsent(loop, BulkHandoff::new);
    }
  }
}
