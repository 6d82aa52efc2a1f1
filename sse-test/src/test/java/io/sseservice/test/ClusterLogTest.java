package io.sseservice.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseservice.SseEvent;
import io.sseservice.spi.GroupEvent;
import org.junit.jupiter.api.Test;

/** The in-memory cluster's log anchors a replay on the newest event it dropped, too. */
class ClusterLogTest {

  @Test
  void aClientThatSawTheNewestDroppedEventMissedOnlyWhatIsHeld() {
    ClusterLog log = new ClusterLog("g", "e", 2);
    log.append(null, SseEvent.of("1"));
    log.append("other", SseEvent.of("private"));
    GroupEvent third = log.append(null, SseEvent.of("3"));

    // "e-1" is gone: the log holds "e-2" and "e-3", all that came after it
    assertThat(log.after("c", "e-1")).extracting(GroupEvent::seq).containsExactly(2L, 3L);
    log.trim(2);
    assertThat(log.after("other", "e-2")).containsExactly(third);
    assertThat(log.after("c", "e-2")).as("another client's dropped id is no anchor for c").isNull();
    assertThat(log.after("c", "e-0")).as("older than anything it knows").isNull();
  }
}
