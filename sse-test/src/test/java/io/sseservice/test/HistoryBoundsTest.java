package io.sseservice.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseservice.ConnectOptions;
import io.sseservice.InMemoryEventHistory;
import io.sseservice.SseService;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The history remembers a group's newest id after its events expired, and keeps all groups within a budget. */
class HistoryBoundsTest {

  private static final Pattern ID = Pattern.compile("id: ([^\n]*)\n");

  private final ManualClock clock = new ManualClock();

  private static String lastId(InMemoryTransport t) {
    Matcher m = ID.matcher(t.text());
    String id = null;
    while (m.find()) {
      id = m.group(1);
    }
    return id;
  }

  private static InMemoryTransport resume(SseService service, String group, String lastEventId) {
    InMemoryTransport t = new InMemoryTransport();
    service.connect(t, ConnectOptions.builder().group(group).lastEventId(lastEventId).build());
    return t;
  }

  @Test
  void anUpToDateClientBackAfterAQuietSpellLongerThanTheMaxAgeGetsNoReset() {
    InMemoryEventHistory history =
        InMemoryEventHistory.builder().maxAge(Duration.ofMinutes(5)).ticker(clock).build();
    try (SseService service =
        SseService.builder().keepAliveInterval(Duration.ZERO).history(history).build()) {
      InMemoryTransport first = new InMemoryTransport();
      service.connect(first, ConnectOptions.defaults());
      service.sendToAll("the last thing said");
      String lastSeen = lastId(first);

      clock.advance(Duration.ofMinutes(30));
      history.evictExpired();
      assertThat(history.size("default")).isZero();

      InMemoryTransport back = resume(service, "default", lastSeen);
      assertThat(back.text()).as("nothing missed, nothing to reset").isEmpty();
      assertThat(resume(service, "default", "an-older-id").text()).isEqualTo(reset(lastSeen));
    }
  }

  private static SseService service(InMemoryEventHistory history) {
    return SseService.builder().keepAliveInterval(Duration.ZERO).history(history).build();
  }

  /** Sends "small", then {@code size} bytes of x, to the default group; returns both ids. */
  private static String[] smallThenBig(SseService service, int size) {
    InMemoryTransport first = new InMemoryTransport();
    service.connect(first, ConnectOptions.defaults());
    service.sendToAll("small");
    String small = lastId(first);
    service.sendToAll("x".repeat(size));
    return new String[] {small, lastId(first)};
  }

  private static String reset(String newest) {
    return "id: " + newest + "\nevent: sse-reset\ndata: " + newest + "\n\n";
  }

  @Test
  void oneEventLargerThanTheGroupBoundIsKeptAloneAndReplayed() {
    InMemoryEventHistory history = InMemoryEventHistory.builder().maxBytes(100).build();
    try (SseService service = service(history)) {
      String[] ids = smallThenBig(service, 500);
      String big = ids[1];

      assertThat(history.size("default")).as("the newest event, however large").isEqualTo(1);
      assertThat(resume(service, "default", big).text()).isEmpty();
      assertThat(resume(service, "default", ids[0]).text())
          .as("the big event, no reset")
          .isEqualTo("id: " + big + "\ndata: " + "x".repeat(500) + "\n\n");
      assertThat(resume(service, "default", "an-older-id").text()).isEqualTo(reset(big));

      service.sendToAll("next");
      assertThat(history.size("default")).as("the next event pushes it out").isEqualTo(1);
      assertThat(resume(service, "default", big).text())
          .as("the dropped event still anchors")
          .endsWith("data: next\n\n")
          .doesNotContain("sse-reset");
    }
  }

  @Test
  void anEventOverTheTotalBudgetIsNotKeptButItsIdIsNamed() {
    InMemoryEventHistory history = InMemoryEventHistory.builder().maxTotalBytes(1_000).build();
    try (SseService service = service(history)) {
      String[] ids = smallThenBig(service, 5_000);

      assertThat(history.size("default")).isZero();
      assertThat(history.bytes()).isLessThanOrEqualTo(1_000);
      assertThat(resume(service, "default", ids[1]).text()).as("up to date").isEmpty();
      assertThat(resume(service, "default", ids[0]).text())
          .as("it is gone: a reset naming it")
          .isEqualTo(reset(ids[1]));
    }
  }

  @Test
  void allGroupsStayWithinTheTotalBudgetAndTheLeastRecentlyUsedGoFirst() {
    long budget = 64 * 1024;
    InMemoryEventHistory history = InMemoryEventHistory.builder().maxTotalBytes(budget).build();
    try (SseService service =
        SseService.builder().keepAliveInterval(Duration.ZERO).history(history).build()) {
      InMemoryTransport oldest = new InMemoryTransport();
      service.connect(oldest, ConnectOptions.builder().group("g0").build());
      service.sendToAll("first of g0", null, "g0");
      String oldestId = lastId(oldest);
      String payload = "y".repeat(200);
      for (int i = 1; i <= 2_000; i++) {
        service.sendToAll(payload, null, "g" + i);
        assertThat(history.bytes()).isLessThanOrEqualTo(budget);
      }
      InMemoryTransport newest = new InMemoryTransport();
      service.connect(newest, ConnectOptions.builder().group("g2000").build());
      service.sendToAll("latest", null, "g2000");

      assertThat(service.stats().historyBytes())
          .isEqualTo(history.bytes())
          .isPositive()
          .isLessThanOrEqualTo(budget);
      assertThat(history.size("g2000")).isEqualTo(2);
      assertThat(history.groupCount()).isLessThan(2_001);
      assertThat(resume(service, "g0", oldestId).text())
          .as("the oldest group went first")
          .contains("event: sse-reset");
    }
  }
}
