package io.sseservice.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.sseservice.internal.BulkHandoff;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The event loops' hand-offs: one per loop, isolated tasks, and freed with their loop. */
class LoopBatcherTest {

  @SuppressWarnings("deprecation") // NioEventLoopGroup: the one event-loop API of Netty 4.1 and 4.2
  @Test
  void oneHandOffPerLoopWhoseTasksRunOnTheLoopIsolated() throws Exception {
    NioEventLoopGroup group = new NioEventLoopGroup(1);
    try {
      EventLoop loop = group.next();
      BulkHandoff handoff = LoopBatcher.of(loop);
      assertThat(LoopBatcher.of(loop)).isSameAs(handoff);
      List<Boolean> onLoop = new CopyOnWriteArrayList<>();
      handoff.submit(() -> onLoop.add(loop.inEventLoop()));
      handoff.submit(
          () -> {
            throw new IllegalStateException("one channel's bug");
          });
      handoff.submit(() -> onLoop.add(loop.inEventLoop()));
      await().until(() -> onLoop.size() == 2);
      assertThat(onLoop).containsOnly(true);
    } finally {
      group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void aStoppedLoopAndItsHandOffAreFreed() throws Exception {
    WeakReference<EventLoop> loopRef = startUseAndStopALoop();

    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              System.gc();
              return loopRef.get() == null;
            });
  }

  @SuppressWarnings("deprecation") // NioEventLoopGroup: the one event-loop API of Netty 4.1 and 4.2
  private static WeakReference<EventLoop> startUseAndStopALoop() throws Exception {
    NioEventLoopGroup group = new NioEventLoopGroup(1);
    EventLoop loop = group.next();
    BulkHandoff handoff = LoopBatcher.of(loop);
    List<String> ran = new CopyOnWriteArrayList<>();
    handoff.submit(() -> ran.add("ran"));
    await().until(() -> ran.size() == 1);
    group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).sync();
    return new WeakReference<>(loop);
  }
}
