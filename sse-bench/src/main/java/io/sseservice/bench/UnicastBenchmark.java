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
 * One {@code sendToClient} to one of N clients over in-memory connections whose writes complete
 * at once: the per-send cost of routing, encoding and the write loop, without a network.
 * Thread-safety: JMH state, one per benchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UnicastBenchmark {

  /** Clients in the default group, one connection each. */
  @Param({"10000"})
  public int clients;

  /** Whether event history is on (ids, the group's lock). */
  @Param({"false", "true"})
  public boolean history;

  private SseService service;
  private String[] ids;
  private int next;
  private final String payload = "x".repeat(128);

  @Setup(Level.Trial)
  public void setUp() {
    SseService.Builder builder = SseService.builder().keepAliveInterval(Duration.ZERO);
    if (history) {
      builder.history(io.sseservice.InMemoryEventHistory.create());
    }
    service = builder.build();
    ids = new String[clients];
    for (int i = 0; i < clients; i++) {
      ids[i] = "c" + i;
      service.connect(
          new InMemoryTransport(false), ConnectOptions.builder().clientId(ids[i]).build());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    service.close();
  }

  @Benchmark
  public int sendToClient() {
    int i = next;
    next = i + 1 == ids.length ? 0 : i + 1;
    return service.sendToClient(ids[i], payload);
  }

  /** The same with a conflation key (each queue is empty when its event comes). */
  @Benchmark
  public int sendToClientKeyed() {
    int i = next;
    next = i + 1 == ids.length ? 0 : i + 1;
    return service.send(
        Target.client(ids[i]), SseEvent.builder().data(payload).conflationKey("AAPL").build());
  }
}
