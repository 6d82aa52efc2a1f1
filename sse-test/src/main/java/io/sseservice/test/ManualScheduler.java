package io.sseservice.test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose periodic tasks run only when a test calls {@link #tick()}, on the test's
 * thread; with a {@link ManualClock} it makes keep-alive and timeout tests exact and instant.
 * One-shot tasks run as usual on its one thread.
 *
 * <pre>{@code
 * SseService service = SseService.builder().ticker(clock).scheduler(scheduler).build();
 * clock.advance(Duration.ofSeconds(21));
 * scheduler.tick();   // the keep-alive check runs now
 * }</pre>
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ManualScheduler extends ScheduledThreadPoolExecutor {

  private final List<Map.Entry<ScheduledFuture<?>, Runnable>> periodic =
      new CopyOnWriteArrayList<>();

  /** Returns a scheduler with no periodic task yet. */
  public ManualScheduler() {
    super(1);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable task, long initialDelay, long period, TimeUnit unit) {
    return holdPeriodic(task);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable task, long initialDelay, long delay, TimeUnit unit) {
    return holdPeriodic(task);
  }

  /** Runs every periodic task that was not cancelled, once, on the calling thread. */
  public void tick() {
    for (Map.Entry<ScheduledFuture<?>, Runnable> entry : periodic) {
      if (!entry.getKey().isCancelled()) {
        entry.getValue().run();
      }
    }
  }

  private ScheduledFuture<?> holdPeriodic(Runnable task) {
    // a far-away no-op gives the caller a real future to cancel
    ScheduledFuture<?> handle = super.schedule(() -> {}, 365, TimeUnit.DAYS);
    periodic.add(Map.entry(handle, task));
    return handle;
  }
}
