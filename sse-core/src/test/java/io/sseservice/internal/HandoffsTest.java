package io.sseservice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class HandoffsTest {

  @Test
  void oneExecutorHasOneHandoffAndAnotherItsOwn() {
    List<Runnable> first = new CopyOnWriteArrayList<>();
    List<Runnable> second = new CopyOnWriteArrayList<>();
    Executor one = first::add;
    Executor other = second::add;

    BulkHandoff handoff = Handoffs.of(one);

    assertThat(Handoffs.of(one)).isSameAs(handoff);
    assertThat(Handoffs.of(other)).isNotSameAs(handoff);
    handoff.submit(() -> {});
    assertThat(first).hasSize(1); // the drain went to its own executor
    assertThat(second).isEmpty();
  }
}
