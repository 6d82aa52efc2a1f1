package io.sseservice.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws line charts as SVG files for docs/ (GitHub shows them inline): one or more named series
 * of (x, y) points on linear axes that start at zero, with ticks, a legend and axis titles. No
 * dependency beyond the JDK, so the benchmarks can write their own plots.
 *
 * <p>Usage: {@code new SvgPlot("title", "x title", "y title").series("netty", xs, ys).write(path)}.
 *
 * <p>Thread-safety: not thread-safe; build and write it on one thread.
 */
public final class SvgPlot {

  private static final int WIDTH = 720;
  private static final int HEIGHT = 420;
  private static final int LEFT = 90;
  private static final int RIGHT = 170;
  private static final int TOP = 40;
  private static final int BOTTOM = 60;
  private static final String[] COLOURS = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf", "#7f7f7f"
  };

  private final String title;
  private final String xTitle;
  private final String yTitle;
  private final List<Series> series = new ArrayList<>();

  /** A plot with these titles and no series yet. */
  public SvgPlot(String title, String xTitle, String yTitle) {
    this.title = title;
    this.xTitle = xTitle;
    this.yTitle = yTitle;
  }

  /** Adds a series; {@code xs} and {@code ys} must have the same length, at least one point. */
  public SvgPlot series(String name, double[] xs, double[] ys) {
    if (xs.length != ys.length || xs.length == 0) {
      throw new IllegalArgumentException(
          "series " + name + ": " + xs.length + " x values, " + ys.length + " y values");
    }
    series.add(new Series(name, xs.clone(), ys.clone()));
    return this;
  }

  /** Writes the SVG document to {@code file}, replacing it. */
  public void write(Path file) throws IOException {
    Files.writeString(file, svg(), UTF_8);
  }

  /** The SVG document. */
  public String svg() {
    double xMax = niceCeiling(max(true));
    double yMax = niceCeiling(max(false));
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = HEIGHT - TOP - BOTTOM;
    StringBuilder out = new StringBuilder(4096);
    out.append(
            String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                    + " font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH,
                HEIGHT))
        .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    text(out, WIDTH / 2.0, 22, "middle", 15, title);
    text(out, LEFT + plotWidth / 2.0, HEIGHT - 15, "middle", 12, xTitle);
    out.append(
        String.format(
            Locale.ROOT,
            "<text x=\"18\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 18 %d)\">%s</text>%n",
            TOP + plotHeight / 2,
            TOP + plotHeight / 2,
            escape(yTitle)));
    for (int i = 0; i <= 5; i++) {
      double gx = LEFT + plotWidth * i / 5.0;
      double gy = TOP + plotHeight - plotHeight * i / 5.0;
      line(out, LEFT, gy, LEFT + plotWidth, gy, "#dddddd");
      line(out, gx, TOP, gx, TOP + plotHeight, "#dddddd");
      text(out, LEFT - 6, gy + 4, "end", 11, label(yMax * i / 5));
      text(out, gx, TOP + plotHeight + 16, "middle", 11, label(xMax * i / 5));
    }
    line(out, LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight, "black");
    line(out, LEFT, TOP, LEFT, TOP + plotHeight, "black");
    for (int s = 0; s < series.size(); s++) {
      Series one = series.get(s);
      String colour = COLOURS[s % COLOURS.length];
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < one.xs.length; i++) {
        double px = LEFT + plotWidth * one.xs[i] / xMax;
        double py = TOP + plotHeight - plotHeight * one.ys[i] / yMax;
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
        if (one.xs.length <= 40) {
          out.append(
              String.format(
                  Locale.ROOT,
                  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n",
                  px,
                  py,
                  colour));
        }
      }
      out.append(
          String.format(
              Locale.ROOT,
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
              colour,
              points.toString().trim()));
      double ly = TOP + 10 + s * 20;
      line(out, WIDTH - RIGHT + 15, ly, WIDTH - RIGHT + 40, ly, colour);
      text(out, WIDTH - RIGHT + 46, ly + 4, "start", 12, one.name);
    }
    return out.append("</svg>\n").toString();
  }

  private double max(boolean x) {
    double max = 0;
    for (Series one : series) {
      for (double v : x ? one.xs : one.ys) {
        max = Math.max(max, v);
      }
    }
    return max;
  }

  /** The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least {@code value}. */
  static double niceCeiling(double value) {
    if (!(value > 0)) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (step * power >= value * (1 - 1e-9)) {
        return step * power;
      }
    }
    return 10 * power;
  }

  /** A tick label: integers with thousands separators, else up to two decimals. */
  static String label(double value) {
    if (Math.abs(value - Math.rint(value)) < 1e-9 * Math.max(1, Math.abs(value))) {
      return String.format(Locale.ROOT, "%,d", (long) Math.rint(value));
    }
    return String.format(Locale.ROOT, "%.2f", value).replaceFirst("\\.?0+$", "");
  }

  private static void line(
      StringBuilder out, double x1, double y1, double x2, double y2, String c) {
    out.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
            x1,
            y1,
            x2,
            y2,
            c));
  }

  private static void text(
      StringBuilder out, double x, double y, String anchor, int size, String text) {
    out.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
            x,
            y,
            anchor,
            size,
            escape(text)));
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private record Series(String name, double[] xs, double[] ys) {}
}
