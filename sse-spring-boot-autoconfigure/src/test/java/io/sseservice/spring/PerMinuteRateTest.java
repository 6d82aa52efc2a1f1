package io.sseservice.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The recent slow-consumer rate, on a clock the test moves. */
class PerMinuteRateTest {

  private final AtomicLong nanos = new AtomicLong(1_000);
  private final PerMinuteRate rate = new PerMinuteRate(nanos::get, 5);

  private void advanceSeconds(long seconds) {
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
  }

  @Test
  void inTheFirstMinuteItIsTheCountSinceTheStart() {
    advanceSeconds(10);
    assertThat(rate.perMinute(8)).isEqualTo(3.0);
    advanceSeconds(40);
    assertThat(rate.perMinute(9)).isEqualTo(4.0);
  }

  @Test
  void laterItCoversTheLastMinuteFromTheChecksBefore() {
    for (int i = 1; i <= 12; i++) { // a check every 10 s, one disconnect each
      advanceSeconds(10);
      rate.perMinute(5 + i);
    }
    advanceSeconds(10); // now 130 s: the base is the check at 70 s (count 12)
    assertThat(rate.perMinute(5 + 12)).isEqualTo(5.0);
    advanceSeconds(60); // quiet for a minute: nothing in the last one
    assertThat(rate.perMinute(17)).isEqualTo(0.0);
  }

  @Test
  void sparseChecksAverageOverTheirWholeSpan() {
    advanceSeconds(300);
    assertThat(rate.perMinute(20)).isEqualTo(3.0); // 15 in 5 minutes
  }

  @Test
  void keepsAtMostOneSampleASecond() {
    for (int i = 0; i < 10_000; i++) {
      nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
      rate.perMinute(5);
    }
    assertThat(rate.sampleCount()).isEqualTo(11); // the start and one per second since
    assertThat(rate.perMinute(6)).isEqualTo(1.0);
  }
}
