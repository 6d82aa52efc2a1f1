package io.sseservice.internal;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Executor;

/**
 * Finds the {@link BulkHandoff} of an executor (an adapter's event loop), through which writes
 * that start off the loop (a broadcast from the application's thread) reach it in bulk: one task
 * and one wake-up per loop per burst instead of one per stream.
 *
 * <p>Key and value are weak: a hand-off holds its executor, so a strong value would keep every
 * loop alive forever. The transports of a loop's streams hold its hand-off strongly, so it lives
 * as long as a stream of that loop may use it.
 *
 * <p>Thread-safety: thread-safe; meant to be called once per stream, not per write.
 */
public final class Handoffs {

  private static final Map<Executor, WeakReference<BulkHandoff>> HANDOFFS = new WeakHashMap<>();

  private Handoffs() {}

  /** Returns the hand-off that runs its tasks on {@code executor}, made on first use. */
  public static BulkHandoff of(Executor executor) {
    synchronized (HANDOFFS) {
      WeakReference<BulkHandoff> ref = HANDOFFS.get(executor);
      BulkHandoff handoff = ref == null ? null : ref.get();
      if (handoff == null) {
        handoff = new BulkHandoff(executor);
        HANDOFFS.put(executor, new WeakReference<>(handoff));
      }
      return handoff;
    }
  }
}
