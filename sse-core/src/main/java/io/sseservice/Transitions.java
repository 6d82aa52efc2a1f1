package io.sseservice;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The registry's changes as events, published in the order they happened: the registry adds each
 * change inside its per-group critical section, and {@link #drain()} hands them to the consumer
 * (the directory) one at a time, outside every lock, on whichever thread gets there first. So the
 * directory sees a client's connections open and close in their real order even when two threads
 * change the registry at once.
 *
 * <p>Thread-safety: thread-safe; {@link #add} from any thread, the consumer runs serially.
 */
final class Transitions {

  /**
   * One change of the registry.
   *
   * @param opened whether the connection joined (else it left)
   * @param connection the connection
   * @param metadata the client metadata the connect carried (joins only), or null
   * @param clientEdge whether it was the client's first connection here (joins) or its last
   *     (leaves)
   */
  record Transition(
      boolean opened,
      SseConnection connection,
      @Nullable Map<String, Object> metadata,
      boolean clientEdge) {}

  private final ConcurrentLinkedQueue<Transition> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
  private volatile Consumer<Transition> consumer = t -> {};

  /** Sets where changes go; called once while the service starts. */
  void consumer(Consumer<Transition> consumer) {
    this.consumer = consumer;
  }

  /** Queues a change; called inside the registry's critical section of the group. */
  void add(Transition transition) {
    queue.add(transition);
  }

  /** Hands every queued change to the consumer, unless another thread is doing so already. */
  void drain() {
    if (wip.getAndIncrement() != 0) {
      return; // the thread draining now will see ours too
    }
    int missed = 1;
    do {
      for (Transition t = queue.poll(); t != null; t = queue.poll()) {
        try {
          consumer.accept(t);
        } catch (RuntimeException | LinkageError e) {
          SseService.LOG.log(Level.WARNING, Logs.quote("the directory failed on " + t), e);
        }
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }
}
