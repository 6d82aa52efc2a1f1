package io.sseservice.bench;

import io.sseservice.SseEvent;
import io.sseservice.internal.SseEncoder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Events encoded per second, and (with {@code -prof gc}) bytes allocated per event: a small
 * message, a 4 KiB message, and multi-line data. Thread-safety: JMH state, one per thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EncoderBenchmark {

  /** Which message: {@code small} (32 B), {@code 4k}, {@code multiline} (64 lines of 64 B). */
  @Param({"small", "4k", "multiline"})
  public String message;

  private SseEvent event;

  @Setup
  public void setUp() {
    String data;
    switch (message) {
      case "small":
        data = "{\"symbol\":\"ACME\",\"price\":42.5}";
        break;
      case "4k":
        data = "x".repeat(4096);
        break;
      default:
        data = ("y".repeat(63) + "\n").repeat(64);
    }
    event = SseEvent.builder().data(data).event("quote").id("1234567").build();
  }

  @Benchmark
  public byte[] encode() {
    return SseEncoder.encode(event);
  }
}
