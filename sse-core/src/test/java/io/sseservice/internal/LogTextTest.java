package io.sseservice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What LogText calls unsafe in a log line, and how it escapes it. */
class LogTextTest {

  @Test
  void escapesLineBreaksControlsSeparatorsBidiAndLoneSurrogates() {
    assertThat(LogText.quote("a\r\nSEVERE: forged")).isEqualTo("a\\r\\nSEVERE: forged");
    assertThat(LogText.quote("\0\t\u001b[31m\u007f\u0085"))
        .isEqualTo("\\u0000\\t\\u001b[31m\\u007f\\u0085");
    assertThat(LogText.quote("a\u2028b\u2029c")).isEqualTo("a\\u2028b\\u2029c");
    assertThat(LogText.quote("\u202Egnp.exe\u2066")).isEqualTo("\\u202egnp.exe\\u2066");
    assertThat(LogText.quote("x\uD83Dy\uDE00")).isEqualTo("x\\ud83dy\\ude00");
  }

  @Test
  void leavesEverythingElseAsItIs() {
    String text = "ünïcødé ✓ 😀 user@example.com \\n (a backslash and an n)";
    assertThat(LogText.quote(text)).isSameAs(text);
    assertThat(LogText.firstUnsafe(text)).isEqualTo(-1);
    assertThat(LogText.quote("😀\n😀")).isEqualTo("😀\\n😀");
    assertThat(LogText.firstUnsafe("😀\n")).isEqualTo(2);
  }

  @Test
  void describesWhatItFound() {
    assertThat(LogText.describe('\n')).isEqualTo("a control character");
    assertThat(LogText.describe('\u2028')).isEqualTo("a line separator");
    assertThat(LogText.describe('\u202A')).isEqualTo("a bidirectional control");
    assertThat(LogText.describe('\uDC00')).isEqualTo("an unpaired surrogate");
    assertThat(LogText.codePoint('\n')).isEqualTo("U+000A");
  }
}
