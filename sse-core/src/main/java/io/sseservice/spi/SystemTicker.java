package io.sseservice.spi;

/** {@link Ticker#system()}: {@link System#nanoTime()}. */
final class SystemTicker implements Ticker {

  static final SystemTicker INSTANCE = new SystemTicker();

  private SystemTicker() {}

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public String toString() {
    return "Ticker.system()";
  }
}
