package io.sseservice.bench;

import io.sseservice.ConnectOptions;
import io.sseservice.SseEvent;
import io.sseservice.SseService;
import io.sseservice.Target;
import io.sseservice.test.InMemoryTransport;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@code sendToAll} to N in-memory connections whose writes complete at once: the cost of
 * the registry walk, the queues and the write loop, without a network. With {@code -prof gc},
 * {@code gc.alloc.rate.norm} divided by N is the allocation per receiver. Thread-safety: JMH
 * state, one per benchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FanoutBenchmark {

  /** Connections in the group. */
  @Param({"10000"})
  public int connections;

  /** Whether event history is on (ids, per-group send lock). */
  @Param({"false", "true"})
  public boolean history;

  private SseService service;
  private final String payload = "x".repeat(128);

  @Setup(Level.Trial)
  public void setUp() {
    SseService.Builder builder = SseService.builder().keepAliveInterval(Duration.ZERO);
    if (history) {
      builder.history(io.sseservice.InMemoryEventHistory.create());
    }
    service = builder.build();
    for (int i = 0; i < connections; i++) {
      service.connect(
          new InMemoryTransport(false), ConnectOptions.builder().clientId("c" + i).build());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    service.close();
  }

  @Benchmark
  public int sendToAll() {
    return service.sendToAll(payload);
  }

  /**
   * The same with a conflation key: each connection's queue is empty when the event comes (the
   * writes complete at once), so this is the cost of the key on the common path.
   */
  @Benchmark
  public int sendToAllKeyed() {
    return service.send(
        Target.everyone(), SseEvent.builder().data(payload).conflationKey("AAPL").build());
  }
}
