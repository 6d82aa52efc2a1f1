package io.sseservice.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseservice.ConnectOptions;
import io.sseservice.SseConnection;
import io.sseservice.SseService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Connects, disconnects and sends race from many threads over few client ids and groups. Nothing
 * may leak (no client, group or connection left), every callback must run exactly once, and every
 * event a transport received must be whole.
 */
class RegistryStressTest {

  @RepeatedTest(3)
  void connectDisconnectAndSendRace() throws Exception {
    // few ids, many connections each: the per-client limit (LimitsTest) is not what this tests
    SseService service =
        SseService.builder()
            .keepAliveInterval(Duration.ZERO)
            .maxConnectionsPerClient(Integer.MAX_VALUE)
            .build();
    int threads = 8;
    int perThread = 2_000;
    ConcurrentHashMap<SseConnection, AtomicInteger> callbacks = new ConcurrentHashMap<>();
    List<InMemoryTransport> transports = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> work = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      work.add(
          pool.submit(
              () -> {
                start.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                List<SseConnection> mine = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                  int action = random.nextInt(10);
                  if (action < 4 || mine.isEmpty()) {
                    InMemoryTransport transport = new InMemoryTransport();
                    transports.add(transport);
                    AtomicInteger count = new AtomicInteger();
                    SseConnection c =
                        service.connect(
                            transport,
                            ConnectOptions.builder()
                                .clientId("c" + random.nextInt(5))
                                .group("g" + random.nextInt(3))
                                .onDisconnect(count::incrementAndGet)
                                .build());
                    callbacks.put(c, count);
                    mine.add(c);
                  } else if (action < 7) {
                    SseConnection c = mine.remove(random.nextInt(mine.size()));
                    if (random.nextBoolean()) {
                      c.close();
                    } else {
                      c.client(); // still resolvable after it ends
                      c.close();
                    }
                  } else if (action < 9) {
                    service.sendToAll("all-" + i, null, "g" + random.nextInt(3));
                  } else {
                    service.sendToClient(
                        "c" + random.nextInt(5), "one\nline two", null, "g" + random.nextInt(3));
                  }
                }
                mine.forEach(SseConnection::close);
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : work) {
      f.get();
    }
    pool.shutdown();

    assertThat(service.stats().connections()).isZero();
    assertThat(service.stats().clients()).isZero();
    assertThat(service.groups()).isEmpty();
    assertThat(callbacks.values()).allSatisfy(count -> assertThat(count).hasValue(1));
    for (InMemoryTransport transport : transports) {
      assertThat(transport.isClosed()).isTrue();
      String text = transport.text();
      assertThat(text.isEmpty() || text.endsWith("\n\n")).isTrue();
      for (String event : text.split("\n\n")) {
        assertThat(event).matches("data: all-\\d+|data: one\ndata: line two|");
      }
    }
    service.close();
  }
}
