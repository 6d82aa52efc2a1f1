package io.sseservice.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The bulk hand-off isolates its tasks and survives an executor that refused it. */
class BulkHandoffTest {

  @Test
  void aTaskThatThrowsDoesNotStrandTheTasksBehindIt() {
    List<String> ran = new CopyOnWriteArrayList<>();
    List<Runnable> drains = new CopyOnWriteArrayList<>();
    BulkHandoff handoff = new BulkHandoff(drains::add); // drains run when the test says

    handoff.submit(() -> ran.add("first"));
    handoff.submit(
        () -> {
          throw new IllegalStateException("a stream's bug");
        });
    handoff.submit(
        () -> {
          throw new OutOfMemoryError("Cannot reserve direct buffer memory");
        });
    handoff.submit(() -> ran.add("last"));
    assertThat(drains).hasSize(1);
    drains.get(0).run();

    assertThat(ran).containsExactly("first", "last");
    assertThat(handoff.isIdle()).isTrue();
  }

  @Test
  void aRefusedDrainRunsOnTheSubmitterAndTheNextSubmitSchedulesAgain() {
    AtomicBoolean refusing = new AtomicBoolean(true);
    List<Runnable> accepted = new CopyOnWriteArrayList<>();
    Executor executor =
        task -> {
          if (refusing.get()) {
            throw new RejectedExecutionException("shut down");
          }
          accepted.add(task);
        };
    BulkHandoff handoff = new BulkHandoff(executor);
    List<String> ran = new CopyOnWriteArrayList<>();

    handoff.submit(() -> ran.add("while refused"));
    assertThat(ran).as("not stranded").containsExactly("while refused");

    refusing.set(false);
    handoff.submit(() -> ran.add("later"));
    assertThat(accepted).as("scheduled again, not stuck as scheduled").hasSize(1);
    accepted.get(0).run();
    assertThat(ran).containsExactly("while refused", "later");
  }

  @Test
  void tasksSubmittedWhileDrainingAreRunToo() throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      BulkHandoff handoff = new BulkHandoff(executor);
      List<Integer> ran = new CopyOnWriteArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        int n = i;
        handoff.submit(() -> ran.add(n));
      }
      await().until(() -> ran.size() == 10_000);
      for (int i = 0; i < ran.size(); i++) {
        assertThat(ran.get(i)).isEqualTo(i);
      }
      await().until(handoff::isIdle);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void burstsOfAnySizeRunInOrderOneDrainEach() {
    List<Runnable> drains = new CopyOnWriteArrayList<>();
    BulkHandoff handoff = new BulkHandoff(drains::add);
    List<Integer> ran = new java.util.ArrayList<>();

    for (int burst = 0; burst < 3; burst++) { // the second and third reuse the drained arrays
      int size = burst == 1 ? 5 : 10_000;
      for (int i = 0; i < size; i++) {
        int n = i;
        handoff.submit(() -> ran.add(n));
      }
      assertThat(drains).as("one drain per burst").hasSize(burst + 1);
      drains.get(burst).run();
      assertThat(ran).hasSize(size);
      for (int i = 0; i < size; i++) {
        assertThat(ran.get(i)).isEqualTo(i);
      }
      ran.clear();
      assertThat(handoff.isIdle()).isTrue();
    }
  }

  @Test
  void aTaskSubmittedByARunningTaskRunsInTheNextDrain() {
    List<Runnable> drains = new CopyOnWriteArrayList<>();
    BulkHandoff handoff = new BulkHandoff(drains::add);
    List<String> ran = new CopyOnWriteArrayList<>();

    handoff.submit(
        () -> {
          ran.add("first");
          handoff.submit(() -> ran.add("from inside"));
        });
    drains.get(0).run();

    assertThat(ran).containsExactly("first");
    assertThat(drains).hasSize(2);
    drains.get(1).run();
    assertThat(ran).containsExactly("first", "from inside");
  }
}
