package io.sseservice.spring;

import io.sseservice.SseService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Closes every {@link SseService} bean when the context stops, before the embedded web server's
 * graceful shutdown begins.
 *
 * <p>Why a lifecycle and not just the bean's {@code close()} destroy method: Spring Boot's
 * graceful shutdown ({@code WebServerGracefulShutdownLifecycle}, phase
 * {@code SmartLifecycle.DEFAULT_PHASE - 1024}) waits for in-flight requests to finish, and beans
 * are destroyed only after that. An event stream never finishes on its own, so without this the
 * shutdown would hang for the whole grace period and then cut every stream. Closing the service
 * first ends each stream gracefully (queued events written, a reconnect delay sent), so the
 * server finds no request in flight. Lifecycles stop in descending phase order; {@link #PHASE}
 * lies above the graceful shutdown and below the default phase, where message listener
 * containers that may still be sending events stop first.
 *
 * <p>Thread-safety: thread-safe; the context calls it from one thread at a time.
 */
final class SseServiceLifecycle implements SmartLifecycle {

  /** Stops after the default phase (event producers) and before the web server's graceful shutdown. */
  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

  private final ObjectProvider<SseService> services;
  private volatile boolean running;

  SseServiceLifecycle(ObjectProvider<SseService> services) {
    this.services = services;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    // every SseService bean, the application's own too: each one's streams would block shutdown
    services.orderedStream().forEach(SseService::close);
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
