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
 * Conflation's own path: one keyed {@code sendToAll} to N connections that stopped reading (their
 * first write never completes), so every event replaces the one of its key still queued on each
 * connection. Keys cycle through {@code keys} values, which is how many frames each queue holds.
 * With {@code -prof gc}, {@code gc.alloc.rate.norm} divided by N is the allocation per receiver:
 * a replacement must allocate nothing. Thread-safety: JMH state, one per benchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConflationBenchmark {

  /** Connections in the group, all stalled. */
  @Param({"10000"})
  public int connections;

  /** Distinct keys sent in turn: the frames each stalled queue holds. */
  @Param({"1", "100"})
  public int keys;

  private SseService service;
  private String[] keyNames;
  private int next;
  private final String payload = "x".repeat(128);

  @Setup(Level.Trial)
  public void setUp() {
    service =
        SseService.builder()
            .keepAliveInterval(Duration.ZERO)
            .writeTimeout(Duration.ofDays(1)) // the stalled writes must outlive the run
            .shutdownTimeout(Duration.ofMillis(100))
            .build();
    for (int i = 0; i < connections; i++) {
      InMemoryTransport transport = new InMemoryTransport(false);
      transport.pause(); // a peer that stopped reading: the first write stays in flight
      service.connect(transport, ConnectOptions.builder().clientId("c" + i).build());
    }
    keyNames = new String[keys];
    for (int i = 0; i < keys; i++) {
      keyNames[i] = "K" + i;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    service.close();
  }

  @Benchmark
  public int sendToAllStalled() {
    int i = next;
    next = i + 1 == keyNames.length ? 0 : i + 1;
    return service.send(
        Target.everyone(), SseEvent.builder().data(payload).conflationKey(keyNames[i]).build());
  }
}
