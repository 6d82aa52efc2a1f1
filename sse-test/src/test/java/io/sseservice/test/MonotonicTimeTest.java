package io.sseservice.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseservice.ConnectOptions;
import io.sseservice.InMemoryEventHistory;
import io.sseservice.SseConnection;
import io.sseservice.SseService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Durations run on the monotonic ticker; the wall clock only dates things. A step of the wall
 * clock (NTP) forward or back changes no timeout, no keep-alive and no history age.
 */
class MonotonicTimeTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler();
  private final List<SseService> services = new ArrayList<>();

  private SseService service(SseService.Builder builder) {
    SseService s = builder.ticker(clock).clock(clock).scheduler(scheduler).build();
    services.add(s);
    return s;
  }

  @AfterEach
  void closeAll() {
    services.forEach(SseService::close);
    scheduler.shutdownNow();
  }

  @Test
  void aWallClockStepForwardCutsNoBusyConnection() {
    SseService service =
        service(
            SseService.builder()
                .keepAliveInterval(Duration.ZERO)
                .writeTimeout(Duration.ofSeconds(30)));
    InMemoryTransport busy = new InMemoryTransport();
    SseConnection connection = service.connect(busy, ConnectOptions.defaults());
    busy.pause();
    service.sendToAll("in flight");

    clock.stepWallClock(Duration.ofHours(1));
    scheduler.tick();
    assertThat(connection.isOpen()).isTrue();

    clock.advance(Duration.ofSeconds(31)); // a real stall is still cut
    scheduler.tick();
    assertThat(connection.isOpen()).isFalse();
  }

  @Test
  void aWallClockStepBackSilencesNoKeepAlive() {
    SseService service = service(SseService.builder().keepAliveInterval(Duration.ofSeconds(20)));
    InMemoryTransport idle = new InMemoryTransport();
    service.connect(idle, ConnectOptions.defaults());

    clock.stepWallClock(Duration.ofHours(-1));
    clock.advance(Duration.ofSeconds(21));
    scheduler.tick();

    assertThat(idle.text()).isEqualTo(": ping\n\n");
  }

  @Test
  void aWallClockStepForwardExpiresNoHistory() {
    InMemoryEventHistory history =
        InMemoryEventHistory.builder()
            .maxAge(Duration.ofMinutes(5))
            .ticker(clock)
            .clock(clock)
            .build();
    SseService service =
        service(SseService.builder().keepAliveInterval(Duration.ZERO).history(history));
    service.sendToAll("kept");

    clock.stepWallClock(Duration.ofDays(1));
    history.evictExpired();
    assertThat(history.size("default")).isEqualTo(1);

    clock.advance(Duration.ofMinutes(6));
    history.evictExpired();
    assertThat(history.size("default")).isZero();
  }

  @Test
  void connectionsAreDatedByTheWallClock() {
    SseService service = service(SseService.builder().keepAliveInterval(Duration.ZERO));
    SseConnection connection = service.connect(new InMemoryTransport(), ConnectOptions.defaults());
    assertThat(connection.connectedAt()).isEqualTo(Instant.parse("2026-12-02T10:00:00Z"));
    assertThat(connection.info().connectedAt()).isEqualTo(connection.connectedAt());
  }
}
