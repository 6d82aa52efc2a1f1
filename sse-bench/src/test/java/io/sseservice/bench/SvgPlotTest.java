package io.sseservice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SvgPlotTest {

  @Test
  void axesEndAtARoundNumberAtOrAboveTheLargestValue() {
    assertThat(SvgPlot.niceCeiling(0.0)).isEqualTo(1.0);
    assertThat(SvgPlot.niceCeiling(1.0)).isEqualTo(1.0);
    assertThat(SvgPlot.niceCeiling(19_000)).isEqualTo(20_000);
    assertThat(SvgPlot.niceCeiling(2_100_000)).isEqualTo(2_500_000);
    assertThat(SvgPlot.niceCeiling(3_100_000)).isEqualTo(5_000_000);
    assertThat(SvgPlot.niceCeiling(0.37)).isEqualTo(0.5);
  }

  @Test
  void labelsAreIntegersWithSeparatorsOrShortDecimals() {
    assertThat(SvgPlot.label(4_000)).isEqualTo("4,000");
    assertThat(SvgPlot.label(0.5)).isEqualTo("0.5");
    assertThat(SvgPlot.label(0.25)).isEqualTo("0.25");
  }

  @Test
  void eachSeriesIsALineFromTheOriginCornerAndTitlesAreEscaped() {
    String svg =
        new SvgPlot("heap <MB>", "minutes", "MB")
            .series("netty", new double[] {0, 10}, new double[] {0, 100})
            .svg();
    // x 0..10 maps to 90..550 px, y 0..100 to 360..40 px
    assertThat(svg).contains("points=\"90.0,360.0 550.0,40.0\"").contains("heap &lt;MB&gt;");
    assertThat(svg).startsWith("<svg ").endsWith("</svg>\n");
  }

  @Test
  void mismatchedSeriesAreRefusedByName() {
    assertThatThrownBy(() -> new SvgPlot("t", "x", "y").series("s", new double[2], new double[1]))
        .hasMessageContaining("series s");
  }
}
