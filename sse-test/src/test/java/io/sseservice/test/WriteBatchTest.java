package io.sseservice.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.spi.Transport;
import io.sseservice.spi.WriteCallback;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the core hands frames to a transport: the shared encoded arrays themselves, in an array the
 * connection reuses between writes, with nothing pinned once a write is done.
 */
class WriteBatchTest {

  private final SseService service =
      SseService.builder()
          .keepAliveInterval(Duration.ZERO)
          .shutdownTimeout(Duration.ofMillis(10))
          .build(); // the held writes never finish on close

  @AfterEach
  void close() {
    service.close();
  }

  @Test
  void everyReceiverGetsTheSameEncodedArray() {
    HeldTransport a = new HeldTransport();
    HeldTransport b = new HeldTransport();
    service.connect(a, ConnectOptions.builder().clientId("a").build());
    service.connect(b, ConnectOptions.builder().clientId("b").build());

    service.sendToAll("hello");

    assertThat(a.framesOf(0)).hasSize(1);
    assertThat(a.framesOf(0).get(0)).isSameAs(b.framesOf(0).get(0));
    assertThat(new String(a.framesOf(0).get(0), UTF_8)).isEqualTo("data: hello\n\n");
  }

  @Test
  void smallWritesReuseOneArrayAndLeaveNoFrameInIt() {
    HeldTransport transport = new HeldTransport();
    service.connect(transport, ConnectOptions.builder().clientId("a").build());

    service.sendToAll("one");
    transport.completeAll();
    service.sendToAll("two");
    transport.completeAll();

    assertThat(transport.arrays).hasSize(2);
    assertThat(transport.arrays.get(1))
        .as("the same array, reused")
        .isSameAs(transport.arrays.get(0));
    assertThat(Arrays.asList(transport.arrays.get(0)))
        .as("no frame pinned after the write")
        .containsOnlyNulls();
    assertThat(transport.text()).isEqualTo("data: one\n\ndata: two\n\n");
  }

  @Test
  void aBurstGoesInOneWriteAndItsLongArrayIsLetGo() {
    HeldTransport transport = new HeldTransport();
    service.connect(transport, ConnectOptions.builder().clientId("a").build());
    service.sendToAll("first"); // in flight: what follows queues behind it
    for (int i = 0; i < 40; i++) {
      service.sendToAll("e" + i);
    }

    transport.completeAll(); // the first write, then the burst
    transport.completeAll();
    service.sendToAll("after");
    transport.completeAll();

    assertThat(transport.counts).containsExactly(1, 40, 1);
    assertThat(transport.arrays.get(1).length).isGreaterThanOrEqualTo(40);
    assertThat(transport.arrays.get(2).length)
        .as("a burst's long array is not kept by the connection")
        .isLessThanOrEqualTo(16);
  }

  @Test
  void aDispatchedWriteTakesWhatQueuedUntilItRuns() {
    List<Runnable> dispatched = new ArrayList<>();
    HeldTransport transport =
        new HeldTransport() {
          @Override
          public void dispatchWrite(Runnable startWrite) {
            dispatched.add(startWrite); // like an event loop that gets to it later
          }
        };
    service.connect(transport, ConnectOptions.builder().clientId("a").build());

    service.sendToAll("one");
    service.sendToAll("two");
    service.sendToAll("three");

    assertThat(transport.counts).as("the senders only queued").isEmpty();
    assertThat(dispatched).as("one start for the idle connection").hasSize(1);
    dispatched.get(0).run();
    assertThat(transport.counts).containsExactly(3);
    assertThat(transport.text()).isEqualTo("data: one\n\ndata: two\n\ndata: three\n\n");
  }

  /** Holds each write until the test completes it, recording the array and count it was given. */
  private static class HeldTransport implements Transport {
    final List<byte[][]> arrays = new ArrayList<>();
    final List<Integer> counts = new ArrayList<>();
    final List<List<byte[]>> frames = new ArrayList<>();
    final List<WriteCallback> callbacks = new ArrayList<>();

    @Override
    public void open(Map<String, String> headers, Runnable onPeerGone) {}

    @Override
    public synchronized void write(byte[][] batch, int count, WriteCallback callback) {
      arrays.add(batch);
      counts.add(count);
      frames.add(List.copyOf(Arrays.asList(batch).subList(0, count)));
      callbacks.add(callback);
    }

    List<byte[]> framesOf(int write) {
      return frames.get(write);
    }

    void completeAll() {
      List<WriteCallback> due;
      synchronized (this) {
        due = new ArrayList<>(callbacks);
        callbacks.clear();
      }
      due.forEach(WriteCallback::completed);
    }

    String text() {
      StringBuilder text = new StringBuilder();
      frames.forEach(write -> write.forEach(frame -> text.append(new String(frame, UTF_8))));
      return text.toString();
    }

    @Override
    public void close() {}
  }
}
