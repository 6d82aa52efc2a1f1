package io.sseservice.spring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sseservice.SseService;
import io.sseservice.SseStats;
import java.util.function.ToDoubleFunction;

/**
 * Publishes {@link SseService#stats()} as Micrometer meters: gauges {@code sse.connections},
 * {@code sse.clients}, {@code sse.groups}, {@code sse.history.bytes}; function counters {@code sse.events.sent},
 * {@code sse.events.dropped}, {@code sse.events.conflated}, {@code sse.slow-consumer.disconnects},
 * {@code sse.publish.failures}. Each meter reads the
 * service's own counters when scraped, so sending costs nothing extra.
 *
 * <p>Thread-safety: thread-safe; the service's counters are.
 */
final class SseMeterBinder implements MeterBinder {

  private final SseService service;

  SseMeterBinder(SseService service) {
    this.service = service;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    gauge(registry, "sse.connections", "Open event-stream connections", SseStats::connections);
    gauge(registry, "sse.clients", "Clients with at least one open connection", SseStats::clients);
    gauge(registry, "sse.groups", "Groups with at least one client", SseStats::groups);
    Gauge.builder("sse.history.bytes", service, s -> s.stats().historyBytes())
        .description("Bytes the event history holds in memory (frames and bookkeeping)")
        .baseUnit("bytes")
        .register(registry);
    counter(
        registry,
        "sse.events.sent",
        "Events queued to a connection (one per receiver)",
        SseStats::eventsSent);
    counter(
        registry,
        "sse.events.dropped",
        "Events dropped by the drop-oldest slow-consumer policy",
        SseStats::eventsDropped);
    counter(
        registry,
        "sse.events.conflated",
        "Queued events replaced, unwritten, by a newer event with the same conflation key",
        SseStats::eventsConflated);
    counter(
        registry,
        "sse.slow-consumer.disconnects",
        "Connections closed as slow consumers",
        SseStats::slowConsumerDisconnects);
    counter(
        registry,
        "sse.publish.failures",
        "Sends the cluster's backplane could not publish (refused or failed later)",
        SseStats::publishFailures);
  }

  private void gauge(
      MeterRegistry registry, String name, String description, ToDoubleFunction<SseStats> value) {
    Gauge.builder(name, service, s -> value.applyAsDouble(s.stats()))
        .description(description)
        .register(registry);
  }

  private void counter(
      MeterRegistry registry, String name, String description, ToDoubleFunction<SseStats> value) {
    FunctionCounter.builder(name, service, s -> value.applyAsDouble(s.stats()))
        .description(description)
        .register(registry);
  }
}
