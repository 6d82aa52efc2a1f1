package io.sseservice.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The Servlet adapter's writer thread: tasks isolated, and gone when idle (no pinned webapp). */
class WriteHandoffTest {

  @Test
  void tasksRunOnTheWriterThreadIsolatedAndTheThreadExitsWhenIdle() {
    List<Boolean> onWriter = new CopyOnWriteArrayList<>();
    WriteHandoff.shared().submit(() -> onWriter.add(WriteHandoff.isWriterThread()));
    WriteHandoff.shared()
        .submit(
            () -> {
              throw new IllegalStateException("one stream's bug");
            });
    WriteHandoff.shared().submit(() -> onWriter.add(WriteHandoff.isWriterThread()));

    await().until(() -> onWriter.size() == 2);
    assertThat(onWriter).containsOnly(true);
    assertThat(WriteHandoff.isWriterThread()).isFalse();
    assertThat(Thread.getAllStackTraces().keySet())
        .anyMatch(t -> t.getName().startsWith("sse-servlet-writer-") && t.isDaemon());

    await()
        .atMost(Duration.ofMillis(WriteHandoff.IDLE_MILLIS + 5_000))
        .until(() -> WriteHandoff.liveThreads() == 0);
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().startsWith("sse-servlet-writer-") && t.isAlive());

    WriteHandoff.shared().submit(() -> onWriter.add(WriteHandoff.isWriterThread()));
    await().until(() -> onWriter.size() == 3); // a new thread starts for the next write
  }
}
