package io.sseservice;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/** Makes the single daemon thread a service owns when the user gives it no scheduler. */
final class Scheduler {

  private static final AtomicInteger SERVICES = new AtomicInteger();

  private Scheduler() {}

  static ScheduledExecutorService daemon() {
    String name = "sse-service-" + SERVICES.incrementAndGet();
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, name);
              thread.setDaemon(true);
              return thread;
            });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
