package io.sseservice.webflux;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseservice.spi.WriteCallback;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;

/** Demand in, batches out: what the server asks for decides when the core may write again. */
class BatchStreamTest {

  private final AtomicInteger cancels = new AtomicInteger();
  private final BatchStream stream = new BatchStream(cancels::incrementAndGet);
  private final Recorder server = new Recorder();

  private static DataBuffer batch(String text) {
    return DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(UTF_8));
  }

  @Test
  void theCommitGoesFirstOnceTheServerAsks() {
    stream.commit();
    stream.subscribe(server);
    assertThat(server.items).isEmpty();

    server.request(1);

    assertThat(server.texts()).containsExactly("");
  }

  @Test
  void aBatchGoesOutOnDemandAndIsDoneWhenTheServerWantsTheNext() {
    stream.subscribe(server);
    Callback first = new Callback();

    stream.write(batch("a"), first);
    assertThat(server.items).as("no demand yet").isEmpty();

    server.request(1);
    assertThat(server.texts()).containsExactly("a");
    assertThat(first.state).as("the server has not asked for more").isNull();

    server.request(1);
    assertThat(first.state).isEqualTo("completed");
  }

  @Test
  void aBatchWrittenBeforeTheCommitWasTakenCommitsInItsPlace() {
    stream.commit();
    stream.write(batch("retry"), new Callback());
    stream.subscribe(server);

    server.request(5);

    assertThat(server.texts()).containsExactly("retry");
  }

  @Test
  void withDemandAheadEachBatchIsDoneAtOnce() {
    stream.subscribe(server);
    server.request(3);
    Callback first = new Callback();
    Callback second = new Callback();

    stream.write(batch("a"), first);
    stream.write(batch("b"), second);

    assertThat(server.texts()).containsExactly("a", "b");
    assertThat(first.state).isEqualTo("completed");
    assertThat(second.state).isEqualTo("completed");
  }

  @Test
  void endingWithAWriteWaitingFailsItAndSaysTheConnectionIsStuck() {
    stream.subscribe(server);
    server.request(1);
    Callback waiting = new Callback();
    stream.write(batch("a"), waiting);

    assertThat(stream.end()).isTrue();

    assertThat(waiting.state).startsWith("failed");
    assertThat(server.completed).isTrue();
    assertThat(stream.end()).as("idempotent").isFalse();
  }

  @Test
  void endingWhenIdleCompletesAfterWhatIsPending() {
    stream.commit();
    stream.subscribe(server);

    assertThat(stream.end()).isFalse();
    assertThat(server.completed).as("the commit is still pending").isFalse();

    server.request(1);
    assertThat(server.texts()).containsExactly("");
    assertThat(server.completed).isTrue();
  }

  @Test
  void cancelMeansThePeerIsGoneOnceAndRefusesLaterWrites() {
    stream.subscribe(server);
    Callback waiting = new Callback();
    stream.write(batch("a"), waiting);

    server.subscription.cancel();
    server.subscription.cancel();

    assertThat(cancels).hasValue(1);
    assertThat(waiting.state).startsWith("failed");
    Callback late = new Callback();
    stream.write(batch("b"), late);
    assertThat(late.state).startsWith("failed");
    server.request(1);
    assertThat(server.items).isEmpty();
  }

  @Test
  void aSecondSubscriberIsRefused() {
    stream.subscribe(server);
    Recorder second = new Recorder();

    stream.subscribe(second);

    assertThat(second.error).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aNonPositiveRequestFailsTheStream() {
    stream.subscribe(server);
    server.request(0);
    assertThat(server.error).isInstanceOf(IllegalArgumentException.class);
  }

  /** The core writes from whichever thread completed its callback; the server asks from others. */
  @Test
  void batchesArriveInOrderWhenCoreAndServerRunOnDifferentThreads() throws Exception {
    int count = 20_000;
    ExecutorService eventLoop = Executors.newSingleThreadExecutor();
    Queue<String> received = new ConcurrentLinkedQueue<>();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    stream.subscribe(
        new Subscriber<Publisher<DataBuffer>>() {
          Subscription s;

          @Override
          public void onSubscribe(Subscription s) {
            this.s = s;
            s.request(4); // a small window ahead, like a real server's prefetch
          }

          @Override
          public void onNext(Publisher<DataBuffer> item) {
            eventLoop.execute(
                () -> {
                  Flux.from(item).map(b -> b.toString(UTF_8)).subscribe(received::add);
                  s.request(1);
                });
          }

          @Override
          public void onError(Throwable t) {
            received.add("error " + t);
          }

          @Override
          public void onComplete() {
            eventLoop.execute(() -> received.add("end")); // after the items it is still reading
          }
        });
    AtomicInteger next = new AtomicInteger();
    WriteCallback core =
        new WriteCallback() {
          @Override
          public void completed() {
            inFlight.decrementAndGet();
            writeNext();
          }

          @Override
          public void failed(Throwable cause) {
            received.add("failed " + cause);
          }

          void writeNext() {
            int n = next.getAndIncrement();
            if (n == count) {
              stream.end();
            } else if (n < count) {
              maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
              stream.write(batch(Integer.toString(n)), this);
            }
          }
        };
    ((Runnable)
            () -> {
              maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
              stream.write(batch(Integer.toString(next.getAndIncrement())), core);
            })
        .run();

    await().until(() -> received.contains("end"));
    eventLoop.shutdown();
    List<String> expected = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      expected.add(Integer.toString(i));
    }
    expected.add("end");
    assertThat(received).containsExactlyElementsOf(expected);
    assertThat(maxInFlight).as("writes never overlap").hasValue(1);
  }

  private static final class Callback implements WriteCallback {
    volatile String state;

    @Override
    public void completed() {
      assertThat(state).as("exactly once").isNull();
      state = "completed";
    }

    @Override
    public void failed(Throwable cause) {
      assertThat(state).as("exactly once").isNull();
      state = "failed: " + cause.getMessage();
    }
  }

  /** A server stand-in that records what it gets and asks only when told to. */
  private static final class Recorder implements Subscriber<Publisher<DataBuffer>> {
    final List<Publisher<DataBuffer>> items = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile Subscription subscription;
    volatile boolean completed;
    volatile Throwable error;

    void request(long n) {
      subscription.request(n);
    }

    List<String> texts() {
      return items.stream()
          .map(
              item ->
                  Flux.from(item).map(b -> b.toString(UTF_8)).reduce("", String::concat).block())
          .toList();
    }

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
    }

    @Override
    public void onNext(Publisher<DataBuffer> item) {
      items.add(item);
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onComplete() {
      completed = true;
    }
  }
}
